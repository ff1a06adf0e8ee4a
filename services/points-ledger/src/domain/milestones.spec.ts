import { crossedThresholds, evaluateMilestones } from './milestones';
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

  it('should pay with the next stay a threshold a correction crossed upwards when the year had not reached it', () => {
    // 39 nights reached, then a stay lengthened after check-out: 41 now, the 40-night award not paid.
    const corrected = { nights: 41, stays: 5 };
    expect(evaluateMilestones([EVERY_10_FROM_40], corrected, { nights: 39, stays: 5 }, 2)).toEqual([
      { id: 'm', threshold: 40, points: 10_000 },
    ]);
  });
});
