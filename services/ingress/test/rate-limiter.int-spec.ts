import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { testInfrastructure } from '@loyalty/testing';
import { IngressConfig } from '../src/config/ingress.config';
import { RateLimiter } from '../src/upstream/rate-limiter';

describe('rate limiter, against the real Redis', () => {
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(testInfrastructure().redisUrl);
  });

  afterAll(() => redis.quit());

  afterEach(() => jest.restoreAllMocks());

  /** Takes from a budget of 2,000 events a second, for a system of its own, with `used` already spent. */
  async function budgetWithUsed(used: number): Promise<(events: number) => Promise<boolean>> {
    // One window throughout: a second ending mid-test would start a fresh budget.
    jest.spyOn(Date, 'now').mockReturnValue(Date.now());
    const limiter = new RateLimiter(
      redis,
      Object.assign(new IngressConfig(), { INGRESS_EVENTS_PER_SECOND: 2000 }),
    );
    const system = `rate-test-${randomUUID()}`;
    expect(await limiter.take(system, used)).toBe(true);
    return (events) => limiter.take(system, events);
  }

  it('should take a request that fits while a concurrent one that does not fit is refused', async () => {
    const take = await budgetWithUsed(1500);

    const [tooMany, fitting] = await Promise.all([take(600), take(500)]);

    expect({ tooMany, fitting }).toEqual({ tooMany: false, fitting: true });
    expect(await take(1)).toBe(false);
  });

  it('should take nothing for a request that does not fit', async () => {
    const take = await budgetWithUsed(1500);

    expect(await take(501)).toBe(false);
    expect(await take(500)).toBe(true);
  });
});
