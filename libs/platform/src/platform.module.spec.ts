import { BaseServiceConfig } from '@loyalty/config';
import { RedisModule } from '@loyalty/persistence';
import { ServicePlatformModule } from './platform.module';

const service = { service: 'test-service', config: BaseServiceConfig, entities: [], migrations: [] };

describe('ServicePlatformModule', () => {
  it('should leave Redis out, client and readiness check, when the service does not use it', () => {
    expect(ServicePlatformModule.forService(service).imports).not.toContain(RedisModule);
  });

  it('should connect to Redis and check it for readiness when the service uses it', () => {
    expect(ServicePlatformModule.forService({ ...service, redis: true }).imports).toContain(RedisModule);
  });
});
