import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { BaseServiceConfig } from './base-service.config';
import { ConfigModule } from './config.module';
import { ConfigValidationError } from './config-validation.error';

class GuestConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'guest';
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/guest';
}

@Injectable()
class NeedsBase {
  constructor(readonly config: BaseServiceConfig) {}
}

describe('ConfigModule', () => {
  it('should provide one instance under the class and BaseServiceConfig when forRoot is given a subclass', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(GuestConfig, { env: { HTTP_PORT: '4100' } })],
      providers: [NeedsBase],
    }).compile();

    const config = moduleRef.get(GuestConfig);
    expect(config.HTTP_PORT).toBe(4100);
    expect(moduleRef.get(BaseServiceConfig)).toBe(config);
    expect(moduleRef.get(NeedsBase).config).toBe(config);
  });

  it('should fail to compile with the validation error when the environment is invalid', async () => {
    const compiling = Test.createTestingModule({
      imports: [ConfigModule.forRoot(GuestConfig, { env: { LOG_LEVEL: 'loud' } })],
    }).compile();
    await expect(compiling).rejects.toBeInstanceOf(ConfigValidationError);
  });

  it('should provide BaseServiceConfig itself when forRoot is given the base class', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(BaseServiceConfig, { env: { DATABASE_URL: 'postgres://x/y' } })],
    }).compile();
    expect(moduleRef.get(BaseServiceConfig).DATABASE_URL).toBe('postgres://x/y');
  });
});
