import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@loyalty/persistence';
import { IngressConfig } from '../config/ingress.config';

/**
 * Events per second per upstream system, counted in Redis so every ingress instance shares the budget
 * (a fixed one-second window: simple, and bursts of at most twice the rate are acceptable here).
 */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: IngressConfig,
  ) {}

  /** Takes `events` from the system's budget; false (and nothing taken) when they do not fit. */
  async take(system: string, events: number): Promise<boolean> {
    const key = `ingress:rate:${system}:${Math.floor(Date.now() / 1000)}`;
    const used = await this.redis.multi().incrby(key, events).expire(key, 2).exec();
    const total = Number(used?.[0]?.[1] ?? 0);
    if (total <= this.config.INGRESS_EVENTS_PER_SECOND) return true;
    await this.redis.decrby(key, events);
    return false;
  }
}
