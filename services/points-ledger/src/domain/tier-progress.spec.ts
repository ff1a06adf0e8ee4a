import { DEFAULT_PROGRAM } from './default-program';
import { DatedQualifyingCredit, progressInWindow, progressToNextTier } from './tier-progress';

const credit = (iso: string, nights: number, basePoints = nights * 1_000): DatedQualifyingCredit => ({
  at: new Date(iso),
  nights,
  stays: nights === 0 ? 0 : Math.sign(nights),
  basePoints,
});

describe('progressInWindow', () => {
  const credits = [
    credit('2025-12-31T23:59:59.999Z', 5),
    credit('2026-01-01T00:00:00.000Z', 3),
    credit('2026-06-01T00:00:00Z', 4),
  ];
  const now = new Date('2026-09-01T00:00:00Z');

  it('should count only this calendar year when the window is the calendar year', () => {
    expect(progressInWindow(credits, { kind: 'calendar-year' }, now)).toEqual({
      nights: 7,
      stays: 2,
      basePoints: 7_000,
    });
  });

  it('should count the last N months when the window is rolling', () => {
    expect(progressInWindow(credits, { kind: 'rolling', months: 12 }, now)).toEqual({
      nights: 12,
      stays: 3,
      basePoints: 12_000,
    });
  });

  it('should subtract reversed credits but never go below zero when reversals outweigh credits', () => {
    expect(
      progressInWindow(
        [credit('2026-02-01T00:00:00Z', 2), credit('2026-03-01T00:00:00Z', -5)],
        { kind: 'calendar-year' },
        now,
      ),
    ).toEqual({
      nights: 0,
      stays: 0,
      basePoints: 0,
    });
  });
});

describe('progressToNextTier', () => {
  it('should show what is missing on each metric of the next tier', () => {
    expect(progressToNextTier({ nights: 4, stays: 2, basePoints: 3_000 }, DEFAULT_PROGRAM, 'member')).toEqual(
      {
        nextTierId: 'silver',
        remaining: { nights: 6, stays: 3, basePoints: 7_000 },
      },
    );
    expect(
      progressToNextTier({ nights: 30, stays: 2, basePoints: 0 }, DEFAULT_PROGRAM, 'gold')?.remaining.nights,
    ).toBe(20);
  });

  it('should report nothing when the guest is at the top tier', () => {
    expect(
      progressToNextTier({ nights: 100, stays: 0, basePoints: 0 }, DEFAULT_PROGRAM, 'titanium'),
    ).toBeNull();
  });
});
