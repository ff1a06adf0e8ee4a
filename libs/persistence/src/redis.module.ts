import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { BaseServiceConfig } from '@loyalty/config';
import { HealthRegistry } from '@loyalty/observability';

export const REDIS = Symbol('REDIS');

/**
 * Set on a service's config (a `REDIS_COMMAND_TIMEOUT_MS` field) by a service that must answer in time
 * even while Redis accepts connections but never replies: each command then fails after that long.
 * Services without it wait as long as ioredis lets a command wait.
 */
interface RedisCommandTimeout {
  REDIS_COMMAND_TIMEOUT_MS: number;
}

const commandTimeoutOf = (config: BaseServiceConfig): number | undefined =>
  'REDIS_COMMAND_TIMEOUT_MS' in config
    ? (config as BaseServiceConfig & RedisCommandTimeout).REDIS_COMMAND_TIMEOUT_MS
    : undefined;

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
          commandTimeout: commandTimeoutOf(config),
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
