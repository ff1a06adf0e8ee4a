import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { BaseServiceConfig } from '@loyalty/config';
import { HealthRegistry } from '@loyalty/observability';

export const REDIS = Symbol('REDIS');

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [BaseServiceConfig],
      useFactory: (config: BaseServiceConfig) =>
        new Redis(config.REDIS_URL, {
          connectionName: config.SERVICE_NAME,
          // Commands wait for a reconnect only briefly; callers treat Redis as a cache, never the truth.
          maxRetriesPerRequest: 2,
          enableOfflineQueue: true,
          lazyConnect: false,
        }),
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register('redis', async () => {
      const reply = await this.redis.ping();
      if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
