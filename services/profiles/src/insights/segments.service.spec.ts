import type { DataSource } from 'typeorm';
import type { ProfilesConfig } from '../config/profiles.config';
import { scoreRfm, type GuestActivity, type PyramidShares } from '../domain/rfm';
import {
  pyramidSizes,
  quintilePositions,
  rfmCutPoints,
  scoreAgainst,
  SegmentsService,
} from './segments.service';

/** What the recompute's ranking query gives: each dimension's values worst first, by position from 1. */
function worstFirst(guests: readonly GuestActivity[]) {
  const sorted = {
    recency: guests.map((g) => g.recencyDays).sort((a, b) => b - a),
    stays: guests.map((g) => g.stays).sort((a, b) => a - b),
    revenue: guests.map((g) => g.revenueMinor).sort((a, b) => a - b),
  };
  return (dimension: keyof typeof sorted, position: number): number => {
    if (position < 1 || position > guests.length) throw new Error(`position ${position} out of range`);
    return sorted[dimension][position - 1];
  };
}

/** A population with many ties (few distinct values) or few (many), drawn from a seeded generator. */
function population(n: number, distinct: number, seed: number): GuestActivity[] {
  let state = seed;
  const next = (bound: number) => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return (state >>> 8) % bound;
  };
  return Array.from({ length: n }, (_, i) => ({
    guestId: `g${i}`,
    recencyDays: next(distinct) * 7,
    stays: 1 + next(distinct),
    revenueMinor: next(distinct) * 1_000,
  }));
}

describe('RFM cut points', () => {
  const scoredInChunks = (guests: GuestActivity[], shares?: PyramidShares) => {
    const cut = rfmCutPoints(guests.length, worstFirst(guests), shares);
    return guests.map((guest) => scoreAgainst(cut, guest));
  };

  it('should score every guest as scoring the whole population at once does, ties and all', () => {
    for (const n of [
      1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 19, 20, 21, 49, 50, 51, 99, 100, 101, 149, 150, 151, 1_234,
    ]) {
      for (const distinct of [1, 2, 3, 5, 40, 1_000_000]) {
        const guests = population(n, distinct, n * 31 + distinct);
        expect(scoredInChunks(guests)).toEqual(scoreRfm(guests));
      }
    }
  });

  it('should keep configured shares, and tiers of none or of everyone', () => {
    const guests = population(250, 30, 7);
    for (const shares of [
      { vip: 0.1, major: 0.1, ordinary: 0.1 },
      { vip: 0, major: 0, ordinary: 0 },
      { vip: 0.002, major: 0.002, ordinary: 0.002 },
      { vip: 1, major: 0, ordinary: 0 },
      { vip: 0.5, major: 0.3, ordinary: 0.2 },
    ])
      expect(scoredInChunks(guests, shares)).toEqual(scoreRfm(guests, shares));
  });

  it('should need the values at the quintile and tier positions only', () => {
    expect(quintilePositions(1)).toEqual([1, 1, 1, 1]);
    expect(quintilePositions(10)).toEqual([2, 4, 6, 8]);
    expect(quintilePositions(11)).toEqual([3, 5, 7, 9]);
    // 1%, 5% and 20%, rounded as scoreRfm rounds them (half up).
    expect(pyramidSizes(50)).toEqual([1, 3, 10]);
    expect(pyramidSizes(149)).toEqual([1, 7, 30]);
    expect(pyramidSizes(10)).toEqual([0, 1, 2]);
  });
});

describe('RFM recompute run', () => {
  /** A service on a session that answers as a chain whose every chunk is full and none is scored. */
  function service(locked: boolean) {
    const statements: string[] = [];
    const runner = {
      query: jest.fn(async (sql: string) => {
        // As a real session answers: after other work had its turn.
        await new Promise((resolve) => setImmediate(resolve));
        statements.push(sql.trim().split(/\s+/).slice(0, 3).join(' '));
        if (sql.includes('pg_try_advisory_lock')) return [{ locked }];
        if (sql.startsWith('select id from guests')) return [{ id: '00000000-0000-4000-8000-000000000000' }];
        return [];
      }),
      startTransaction: jest.fn(async () => undefined),
      commitTransaction: jest.fn(async () => undefined),
      rollbackTransaction: jest.fn(async () => undefined),
      release: jest.fn(async () => undefined),
    };
    const dataSource = { createQueryRunner: () => runner } as unknown as DataSource;
    const config = { PROFILES_RFM_INTERVAL_MS: 0 } as ProfilesConfig;
    return { segments: new SegmentsService(dataSource, config), runner, statements };
  }

  it('should do nothing while another run holds the recompute, and give its session back', async () => {
    const { segments, runner, statements } = service(false);
    await expect(segments.recompute()).resolves.toEqual({ guests: 0 });
    expect(statements).toEqual(['select pg_try_advisory_lock($1) as']);
    expect(runner.release).toHaveBeenCalledTimes(1);
  });

  it('should stop after the chunk in hand when the service shuts down, unlocking and giving its session back', async () => {
    const { segments, runner, statements } = service(true);
    const run = segments.recompute(new Date(), { chunkGuests: 2 });
    while (runner.commitTransaction.mock.calls.length < 3)
      await new Promise((resolve) => setImmediate(resolve));
    await segments.beforeApplicationShutdown();
    await expect(run).resolves.toEqual({ guests: 0 });
    const chunks = runner.commitTransaction.mock.calls.length;
    expect(chunks).toBeGreaterThanOrEqual(3);
    expect(runner.startTransaction).toHaveBeenCalledTimes(chunks);
    expect(statements.at(-1)).toBe('select pg_advisory_unlock($1)');
    expect(runner.release).toHaveBeenCalledTimes(1);
  });
});
