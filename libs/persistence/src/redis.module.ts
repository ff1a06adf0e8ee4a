import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { BaseServiceConfig } from '@loyalty/config';
import { HealthRegistry, LOGGER } from '@loyalty/observability';
import type { Logger } from 'pino';

export const REDIS = Symbol('REDIS');

/**
 * Set on a service's config (a `REDIS_COMMAND_TIMEOUT_MS` field) by a service that must answer sooner than
 * `DEFAULT_COMMAND_TIMEOUT_MS` while Redis accepts connections but never replies (a paused process, a
 * half-open link): each command then fails after that long.
 */
interface RedisCommandTimeout {
  REDIS_COMMAND_TIMEOUT_MS: number;
}

/**
 * Without a limit a command to a Redis that never replies waits until TCP gives up, about 15 minutes: a
 * cache eviction after a consumer's commit would hold the consumer's lane that long, its liveness green.
 */
export const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;

const commandTimeoutOf = (config: BaseServiceConfig): number =>
  'REDIS_COMMAND_TIMEOUT_MS' in config
    ? (config as BaseServiceConfig & RedisCommandTimeout).REDIS_COMMAND_TIMEOUT_MS
    : DEFAULT_COMMAND_TIMEOUT_MS;

/** The service's Redis client: commands wait for a reconnect only briefly, and never past their timeout. */
export function redisClientFor(config: BaseServiceConfig): Redis {
  return new Redis(config.REDIS_URL, {
    connectionName: config.SERVICE_NAME,
    // Callers treat Redis as a cache or a limiter, never the truth: failing soon is what they can handle.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: false,
    commandTimeout: commandTimeoutOf(config),
  });
}

@Global()
@Module({
  providers: [{ provide: REDIS, inject: [BaseServiceConfig], useFactory: redisClientFor }],
  exports: [REDIS],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    // Without a listener ioredis prints every failed reconnect as an unhandled error event. The readiness
    // check reports the outage; a warning as it begins and a line as it ends say when and why.
    let unreachable = false;
    this.redis.on('error', (error: Error) => {
      if (unreachable) return;
      unreachable = true;
      this.logger.warn({ err: error }, 'redis unreachable; reconnecting');
    });
    this.redis.on('ready', () => {
      if (!unreachable) return;
      unreachable = false;
      this.logger.info('redis reachable again');
    });
    this.health.register('redis', async () => {
      const reply = await this.redis.ping();
      if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
