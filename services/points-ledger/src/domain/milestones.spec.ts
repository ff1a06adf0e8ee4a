import {
  correctionMilestones,
  crossedThresholds,
  evaluateMilestones,
  mergeMilestones,
  type YearTally,
} from './milestones';
import type { MilestoneRule } from './program-rules';

const EVERY_10_FROM_40: MilestoneRule = { id: 'm', metric: 'nights', startAt: 40, every: 10, points: 10_000 };

describe('crossedThresholds', () => {
  it.each([
    [38, 39, []],
    [38, 40, [40]],
    [39, 41, [40]],
    [40, 41, []],
    [40, 49, []],
    [49, 50, [50]],
    [35, 62, [40, 50, 60]],
    [0, 39, []],
  ])(
    'should award the thresholds crossed when the year moves from %i to %i nights',
    (before, after, expected) => {
      expect(crossedThresholds(EVERY_10_FROM_40, before, after)).toEqual(expected);
    },
  );

  it('should award a one-off milestone once when it has no repeat', () => {
    const once: MilestoneRule = { id: 'once', metric: 'stays', startAt: 10, points: 2_500 };
    expect(crossedThresholds(once, 9, 10)).toEqual([10]);
    expect(crossedThresholds(once, 10, 11)).toEqual([]);
    expect(crossedThresholds(once, 8, 9)).toEqual([]);
  });
});

describe('evaluateMilestones', () => {
  it('should count nights and stays by their own metric when a stay crosses both', () => {
    const stays: MilestoneRule = { id: 'tenth-stay', metric: 'stays', startAt: 10, points: 2_500 };
    const yearToDate = { nights: 36, stays: 9 };
    const awards = evaluateMilestones([EVERY_10_FROM_40, stays], yearToDate, yearToDate, 15);
    expect(awards).toEqual([
      { id: 'm', threshold: 40, points: 10_000 },
      { id: 'm', threshold: 50, points: 10_000 },
      { id: 'tenth-stay', threshold: 10, points: 2_500 },
    ]);
  });

  it('should not pay again a threshold the year had reached before a correction took nights off', () => {
    // 42 nights reached (the 40-night award paid), then a stay shortened: 39 now.
    const after = { nights: 39, stays: 5 };
    expect(evaluateMilestones([EVERY_10_FROM_40], after, { nights: 42, stays: 5 }, 2)).toEqual([]);
    expect(evaluateMilestones([EVERY_10_FROM_40], after, { nights: 42, stays: 5 }, 11)).toEqual([
      { id: 'm', threshold: 50, points: 10_000 },
    ]);
  });

  it('should pay with the next stay a threshold the counts passed when the year had not reached it', () => {
    // 39 nights reached, then a stay lengthened by a correction settled before corrections paid milestones.
    const corrected = { nights: 41, stays: 5 };
    expect(evaluateMilestones([EVERY_10_FROM_40], corrected, { nights: 39, stays: 5 }, 2)).toEqual([
      { id: 'm', threshold: 40, points: 10_000 },
    ]);
  });
});

describe('correctionMilestones (a credited stay whose nights the property corrected)', () => {
  const TENTH_STAY: MilestoneRule = { id: 'tenth-stay', metric: 'stays', startAt: 10, points: 2_500 };
  const yearToDate = { nights: 39, stays: 9 };
  const NOW = new Date('2026-06-01T12:00:00Z');
  /** The stay's qualifying year as the correction finds it: `yearToDate`, having reached `reached`. */
  const counted = (year: number, reached = yearToDate) => ({ year, yearToDate, reached });
  const TWO_NIGHTS_MORE = { nights: 2, stays: 0 };

  it('should pay at once a threshold a correction adding nights crosses, and reach it so the next stay pays it no more', () => {
    const settled = correctionMilestones([EVERY_10_FROM_40], counted(2026), TWO_NIGHTS_MORE, true, NOW);
    expect(settled).toEqual({
      awards: [{ id: 'm', threshold: 40, points: 10_000 }],
      reached: { nights: 41, stays: 9 },
    });
    expect(evaluateMilestones([EVERY_10_FROM_40], { nights: 41, stays: 9 }, settled.reached, 2)).toEqual([]);
  });

  it('should pay a stays milestone when a correction gives back a stay that had lost all its nights', () => {
    const settled = correctionMilestones([TENTH_STAY], counted(2026), { nights: 2, stays: 1 }, true, NOW);
    expect(settled.awards).toEqual([{ id: 'tenth-stay', threshold: 10, points: 2_500 }]);
  });

  it('should pay only thresholds past what the year reached when it had reached more than it counts now', () => {
    // 42 reached and the 40 paid, then nights taken off (39), then 12 more: only the 50.
    const reached = { nights: 42, stays: 9 };
    expect(
      correctionMilestones([EVERY_10_FROM_40], counted(2026, reached), { nights: 12, stays: 0 }, true, NOW)
        .awards,
    ).toEqual([{ id: 'm', threshold: 50, points: 10_000 }]);
  });

  it('should settle nothing and keep the mark when a correction takes nights off', () => {
    const reached = { nights: 42, stays: 9 };
    expect(
      correctionMilestones([EVERY_10_FROM_40], counted(2026, reached), { nights: -3, stays: 0 }, true, NOW),
    ).toEqual({ awards: [], reached });
  });

  it('should forfeit the thresholds it crosses, and reach them, when the stay earns nothing', () => {
    expect(correctionMilestones([EVERY_10_FROM_40], counted(2026), TWO_NIGHTS_MORE, false, NOW)).toEqual({
      awards: [],
      reached: { nights: 41, stays: 9 },
    });
  });

  it('should pay the thresholds it crosses in last year, and forfeit but reach them in the year before', () => {
    const correct = (year: number) =>
      correctionMilestones([EVERY_10_FROM_40], counted(year), TWO_NIGHTS_MORE, true, NOW);
    expect(correct(2025).awards).toEqual([{ id: 'm', threshold: 40, points: 10_000 }]);
    expect(correct(2024)).toEqual({ awards: [], reached: { nights: 41, stays: 9 } });
  });

  it('should stop paying last year when the ledger applies the correction on 1 January (UTC) of the year after', () => {
    const correct = (now: Date) =>
      correctionMilestones([EVERY_10_FROM_40], counted(2025), TWO_NIGHTS_MORE, true, now).awards;
    expect(correct(new Date('2026-12-31T23:59:59.000Z'))).toHaveLength(1);
    expect(correct(new Date('2027-01-01T00:00:00.000Z'))).toEqual([]);
  });
});

describe('mergeMilestones (the years of two accounts of one guest, merged)', () => {
  /** A side that counted `nights` and one stay, with its milestones settled up to them. */
  const side = (nights: number, reachedNights = nights): YearTally => ({
    nights,
    stays: 1,
    reached: { nights: reachedNights, stays: 1 },
  });
  const award = (threshold: number) => ({ id: 'm', threshold, points: 10_000 });

  it('should pay at once the thresholds the combined nights cross that neither side reached, and reach the combined counts', () => {
    expect(mergeMilestones([EVERY_10_FROM_40], side(35), side(10))).toEqual({
      awards: [award(40)],
      reached: { nights: 45, stays: 2 },
    });
  });

  it('should not pay again a threshold one side was paid', () => {
    expect(mergeMilestones([EVERY_10_FROM_40], side(42), side(5)).awards).toEqual([]);
    expect(mergeMilestones([EVERY_10_FROM_40], side(5), side(48)).awards).toEqual([award(50)]);
  });

  it('should count an award both sides were paid against the thresholds only the combined nights cross', () => {
    // 87 nights earn 40 to 80 (five awards) on one account; the 40 was paid on each side already.
    expect(mergeMilestones([EVERY_10_FROM_40], side(45), side(42))).toEqual({
      awards: [award(60), award(70), award(80)],
      reached: { nights: 87, stays: 2 },
    });
    const once: MilestoneRule = { id: 'once', metric: 'nights', startAt: 40, points: 5_000 };
    expect(mergeMilestones([once], side(45), side(42)).awards).toEqual([]);
  });

  it("should keep a side's mark above its counts (nights corrected down), so what it was paid counts", () => {
    // Paid the 40 at 45 nights, corrected down to 30; 30 + 20 = 50 earns the 40 and the 50.
    expect(mergeMilestones([EVERY_10_FROM_40], side(30, 45), side(20))).toEqual({
      awards: [award(50)],
      reached: { nights: 50, stays: 2 },
    });
    expect(mergeMilestones([EVERY_10_FROM_40], side(10, 45), side(20)).reached).toEqual({
      nights: 45,
      stays: 2,
    });
  });
});
