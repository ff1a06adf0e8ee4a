import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@loyalty/persistence';
import { IngressConfig } from '../config/ingress.config';
import { rateLimiterUnavailable } from './retry-later';

// One script, so no other request's count lands between the check and the increment: a request that
// does not fit takes nothing, and never makes a concurrent one that fits look over budget.
const TAKE_IF_IT_FITS = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return 0 end
redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], 2)
return 1
`;

// Redis is back within seconds after a restart or a failover, or out for longer: no use asking at once.
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * Events per second per upstream system, counted in Redis so every ingress instance shares the budget
 * (a fixed one-second window: simple, and bursts of at most twice the rate are acceptable here).
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: IngressConfig,
  ) {}

  /**
   * Takes `events` from the system's budget; false (and nothing taken) when they do not fit. Throws a
   * 503 `RetryLater` when Redis does not answer (within REDIS_COMMAND_TIMEOUT_MS).
   */
  async take(system: string, events: number): Promise<boolean> {
    const key = `ingress:rate:${system}:${Math.floor(Date.now() / 1000)}`;
    try {
      const taken = await this.redis.eval(
        TAKE_IF_IT_FITS,
        1,
        key,
        events,
        this.config.INGRESS_EVENTS_PER_SECOND,
      );
      return taken === 1;
    } catch (error) {
      this.logger.warn({ msg: 'rate limiter cannot reach Redis; answering 503', err: error, system });
      throw rateLimiterUnavailable(UNAVAILABLE_RETRY_AFTER_SECONDS, error);
    }
  }
}
