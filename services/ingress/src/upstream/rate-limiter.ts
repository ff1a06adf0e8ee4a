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

const COUNT_FAILURE = `
local failures = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return failures
`;

const FAILURE_WINDOW_SECONDS = 60;

// Redis is back within seconds after a restart or a failover, or out for longer: no use asking at once.
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * Events per second per upstream system, and requests without a valid key per minute per client
 * address, counted in Redis so every ingress instance shares the budgets (fixed windows: simple, and
 * bursts of at most twice the rate are acceptable here). Each method throws a 503 `RetryLater` when Redis
 * does not answer (within REDIS_COMMAND_TIMEOUT_MS).
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: IngressConfig,
  ) {}

  /** Takes `events` from the system's budget; false (and nothing taken) when they do not fit. */
  async take(system: string, events: number): Promise<boolean> {
    const key = `ingress:rate:${system}:${Math.floor(Date.now() / 1000)}`;
    const taken = await this.ask({ system }, () =>
      this.redis.eval(TAKE_IF_IT_FITS, 1, key, events, this.config.INGRESS_EVENTS_PER_SECOND),
    );
    return taken === 1;
  }

  /**
   * Counts a request without a valid key against its client address: the seconds until the address
   * may be answered again when it is over INGRESS_AUTH_FAILURES_PER_MINUTE, else 0.
   */
  async countAuthFailure(address: string): Promise<number> {
    const { key, secondsLeft } = failureWindow(address);
    const failures = Number(
      await this.ask({ address }, () => this.redis.eval(COUNT_FAILURE, 1, key, FAILURE_WINDOW_SECONDS)),
    );
    const limit = this.config.INGRESS_AUTH_FAILURES_PER_MINUTE;
    if (failures === limit + 1) {
      this.logger.warn({
        msg: 'client address refused for the rest of the minute: too many requests without a valid key',
        address,
      });
    }
    return failures > limit ? secondsLeft : 0;
  }

  private async ask<T>(context: Record<string, string>, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      this.logger.warn({ msg: 'rate limiter cannot reach Redis; answering 503', err: error, ...context });
      throw rateLimiterUnavailable(UNAVAILABLE_RETRY_AFTER_SECONDS, error);
    }
  }
}

function failureWindow(address: string): { key: string; secondsLeft: number } {
  const now = Date.now() / 1000;
  const window = Math.floor(now / FAILURE_WINDOW_SECONDS);
  return {
    key: `ingress:auth-failures:${address}:${window}`,
    secondsLeft: Math.ceil((window + 1) * FAILURE_WINDOW_SECONDS - now),
  };
}
