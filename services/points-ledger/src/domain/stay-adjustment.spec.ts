import { LedgerAccount } from './account';
import { DEFAULT_PROGRAM } from './default-program';
import type { EarnResult, StayRevenue } from './earning';
import { LedgerErrorCode } from './ledger-error';
import { checkInvariants } from './invariants';
import { at, earned, POLICY, T0, withBonuses } from './ledger.fixtures';
import {
  currentNights,
  planStayAdjustment,
  qualifyingRevenueChange,
  type AdjustableStay,
  type PointsMove,
  type StayAdjustment,
} from './stay-adjustment';

const usd = (major: number) => ({ amountMinor: major * 100, currency: 'USD' });
const revenue = (room: number, foodAndBeverage = 0, other = 0): StayRevenue => ({
  room: usd(room),
  foodAndBeverage: usd(foodAndBeverage),
  other: usd(other),
});
const MONDAY = '2026-03-02T10:00:00Z';
const TUESDAY = '2026-03-03T10:00:00Z';
const setBy = (adjustedAt: string, adjustmentKey: string | null = 'grand-new-york/ADJ-1') => ({
  adjustedAt,
  adjustmentKey,
});

/** Three nights in New York (room and F&B qualify there) with 400 USD of qualifying revenue. */
const STAY: AdjustableStay = {
  stayKey: 'grand-new-york/R-1',
  propertyId: 'grand-new-york',
  earning: true,
  qualifyingRevenueMinor: 40_000,
  points: 4_000,
  basePoints: 4_000,
  nights: 3,
  stays: 1,
  nightsSetBy: null,
};
const adjustment = (revenueDelta: StayRevenue, more: Partial<StayAdjustment> = {}): StayAdjustment => ({
  propertyId: STAY.propertyId,
  revenueDelta,
  adjustedAt: MONDAY,
  adjustmentKey: 'grand-new-york/ADJ-2',
  ...more,
});

describe('currentNights (v2 nights are absolute: the latest posted wins)', () => {
  const posting = (
    nights: number | undefined,
    adjustedAt: string,
    adjustmentKey = 'grand-new-york/ADJ-2',
  ) => ({
    ...(nights === undefined ? {} : { nights }),
    adjustedAt,
    adjustmentKey,
  });

  it('should set no nights when the adjustment carries none', () => {
    expect(currentNights(posting(undefined, TUESDAY), null)).toBeUndefined();
  });

  it('should set the nights when no adjustment set them before', () => {
    expect(currentNights(posting(2, MONDAY), null)).toBe(2);
  });

  it('should set the nights when they were posted after the nights in effect were', () => {
    expect(currentNights(posting(2, TUESDAY), setBy(MONDAY))).toBe(2);
  });

  it('should ignore nights posted before the nights in effect, when an older correction arrives after a newer one', () => {
    expect(currentNights(posting(2, MONDAY), setBy(TUESDAY))).toBeUndefined();
  });

  it('should order two posted at one instant by key, whichever arrives first, as every service does', () => {
    expect(currentNights(posting(2, MONDAY, 'grand-new-york/B-1'), setBy(MONDAY, 'grand-new-york/A-1'))).toBe(
      2,
    );
    expect(
      currentNights(posting(0, MONDAY, 'grand-new-york/A-1'), setBy(MONDAY, 'grand-new-york/B-1')),
    ).toBeUndefined();
  });

  it('should compare instants to the microsecond, not the millisecond', () => {
    const earlier = '2026-03-02T10:00:00.0001Z';
    const later = '2026-03-02T10:00:00.0009Z';
    expect(currentNights(posting(0, later, 'grand-new-york/A-1'), setBy(earlier, 'grand-new-york/B-1'))).toBe(
      0,
    );
    expect(
      currentNights(posting(2, earlier, 'grand-new-york/B-1'), setBy(later, 'grand-new-york/A-1')),
    ).toBeUndefined();
  });

  it('should let any posting at their instant replace nights set before the ledger kept which adjustment set them', () => {
    expect(currentNights(posting(2, MONDAY), setBy(MONDAY, null))).toBe(2);
  });
});

describe('planStayAdjustment (what an adjustment does to a credited stay)', () => {
  it('should reverse the refunded share of the revenue the stay still has, and lower that revenue', () => {
    const plan = planStayAdjustment(STAY, adjustment(revenue(-100)), 'member', DEFAULT_PROGRAM);
    expect(plan.move).toEqual({ kind: 'reverse', share: { part: 10_000, whole: 40_000 } });
    expect(plan.stay).toEqual({ ...STAY, qualifyingRevenueMinor: 30_000 });
  });

  it('should reverse all the stay has left, and no more, but keep the excess below zero when more is refunded than it has', () => {
    const plan = planStayAdjustment(STAY, adjustment(revenue(-500)), 'member', DEFAULT_PROGRAM);
    expect(plan.move).toEqual({ kind: 'reverse', share: { part: 40_000, whole: 40_000 } });
    expect(plan.stay.qualifyingRevenueMinor).toBe(-10_000);
  });

  it('should move no points but keep the refund in the revenue when the stay has no qualifying revenue left to refund', () => {
    const refunded = { ...STAY, qualifyingRevenueMinor: 0 };
    const plan = planStayAdjustment(refunded, adjustment(revenue(-100)), 'member', DEFAULT_PROGRAM);
    expect(plan).toEqual({ move: { kind: 'none' }, stay: { ...refunded, qualifyingRevenueMinor: -10_000 } });
  });

  it('should earn only what a charge brings above zero when more was refunded before than the stay had', () => {
    const overRefunded = { ...STAY, qualifyingRevenueMinor: -5_000 };
    const plan = planStayAdjustment(overRefunded, adjustment(revenue(150)), 'member', DEFAULT_PROGRAM);
    expect(plan.move).toMatchObject({ kind: 'top-up', topUp: { basePoints: 1_000, total: 1_000 } });
    expect(plan.stay).toMatchObject({ qualifyingRevenueMinor: 10_000, points: 5_000, basePoints: 5_000 });
    const stillBelow = planStayAdjustment(overRefunded, adjustment(revenue(30)), 'member', DEFAULT_PROGRAM);
    expect(stillBelow).toEqual({
      move: { kind: 'none' },
      stay: { ...overRefunded, qualifyingRevenueMinor: -2_000 },
    });
  });

  it('should top up at the current tier and add the revenue and points to the stay when a late charge qualifies', () => {
    const plan = planStayAdjustment(STAY, adjustment(revenue(100, 20, 50)), 'gold', DEFAULT_PROGRAM);
    // 120 USD qualifying (the spa does not): 1,200 base points and gold's 25%.
    expect(plan.move).toMatchObject({ kind: 'top-up', topUp: { basePoints: 1_200, total: 1_500 } });
    expect(plan.stay).toEqual({ ...STAY, qualifyingRevenueMinor: 52_000, points: 5_500, basePoints: 5_200 });
  });

  it('should move nothing when only revenue that does not qualify changes', () => {
    const plan = planStayAdjustment(STAY, adjustment(revenue(0, 0, 80)), 'member', DEFAULT_PROGRAM);
    expect(plan).toEqual({ move: { kind: 'none' }, stay: STAY });
  });

  it('should replace the nights and remember when they were posted when the adjustment corrects them', () => {
    const plan = planStayAdjustment(
      STAY,
      adjustment(revenue(0), { nights: 0, adjustedAt: TUESDAY }),
      'member',
      DEFAULT_PROGRAM,
    );
    expect(plan.stay).toEqual({
      ...STAY,
      nights: 0,
      stays: 0,
      nightsSetBy: setBy(TUESDAY, 'grand-new-york/ADJ-2'),
    });
  });

  it('should keep the newer nights but still apply the revenue of an older adjustment that arrives after it', () => {
    const corrected = { ...STAY, nights: 1, nightsSetBy: setBy(TUESDAY) };
    const plan = planStayAdjustment(
      corrected,
      adjustment(revenue(-100), { nights: 3, adjustedAt: MONDAY }),
      'member',
      DEFAULT_PROGRAM,
    );
    expect(plan.move).toEqual({ kind: 'reverse', share: { part: 10_000, whole: 40_000 } });
    expect(plan.stay).toEqual({ ...corrected, qualifyingRevenueMinor: 30_000 });
  });
});

describe('planStayAdjustment applied in turn (revenue deltas add up whatever their order)', () => {
  const STAY_KEY = 'grand-new-york/R-2';
  /** A member's stay of 100 USD qualifying revenue that earned 1,000 base points. */
  const BASE_ONLY = earned(STAY_KEY, 1_000, at(-10));
  /** The same stay when a promotion gave 1,000 points more and it crossed the 40-night milestone. */
  const WITH_BONUSES = withBonuses(BASE_ONLY, 1_000, 10_000);
  /** The stay as `earn` credited it, and the account it was credited to. */
  const credited = (earn: EarnResult) => ({
    stay: {
      ...STAY,
      stayKey: STAY_KEY,
      qualifyingRevenueMinor: 10_000,
      points: earn.total,
      basePoints: earn.basePoints,
    },
    account: LedgerAccount.open('acc-1', 'g', at(-30)).earn(earn, 'evt-stay', POLICY, T0).account,
  });

  /** What `credited-stay-adjustment` does with a move: the account's points for the stay after it. */
  function movePoints(account: LedgerAccount, move: PointsMove, eventId: string): LedgerAccount {
    switch (move.kind) {
      case 'reverse':
        return account.reverse(STAY_KEY, move.share, eventId, T0).account;
      case 'top-up':
        return account.topUpStay(move.topUp, eventId, T0, POLICY, T0).account;
      case 'none':
        return account;
    }
  }

  /** The stay's revenue and the points the account keeps for it once each room revenue delta (USD) is applied. */
  function applyInTurn(...deltas: number[]): { revenueMinor: number; points: number } {
    return applyInTurnTo(BASE_ONLY, ...deltas);
  }

  function applyInTurnTo(earn: EarnResult, ...deltas: number[]): { revenueMinor: number; points: number } {
    let { stay, account } = credited(earn);
    deltas.forEach((delta, i) => {
      const plan = planStayAdjustment(stay, adjustment(revenue(delta)), 'member', DEFAULT_PROGRAM);
      account = movePoints(account, plan.move, `evt-adjustment-${i}`);
      stay = plan.stay;
    });
    return { revenueMinor: stay.qualifyingRevenueMinor, points: account.balances().total };
  }

  it('should end at 100 USD and 1,000 points when 150 USD is refunded then charged, as when charged then refunded', () => {
    expect(applyInTurn(150, -150)).toEqual({ revenueMinor: 10_000, points: 1_000 });
    expect(applyInTurn(-150, 150)).toEqual({ revenueMinor: 10_000, points: 1_000 });
  });

  it('should end where the sum of the deltas does when a refund of more than the stay has is followed by charges', () => {
    const summed = applyInTurn(30);
    expect(summed).toEqual({ revenueMinor: 13_000, points: 1_300 });
    expect(applyInTurn(-150, 30, 150)).toEqual(summed);
    expect(applyInTurn(-150, -30, 150, 60)).toEqual(summed);
  });

  it('should keep promotion and milestone points through a refund, so a charge voided and re-posted leaves all 12,000 points in either order', () => {
    expect(applyInTurnTo(WITH_BONUSES)).toEqual({ revenueMinor: 10_000, points: 12_000 });
    expect(applyInTurnTo(WITH_BONUSES, -100, 100)).toEqual({ revenueMinor: 10_000, points: 12_000 });
    expect(applyInTurnTo(WITH_BONUSES, 100, -100)).toEqual({ revenueMinor: 10_000, points: 12_000 });
  });

  it('should take back only the base points when all of the revenue of a stay with a promotion and a milestone is refunded', () => {
    expect(applyInTurnTo(WITH_BONUSES, -100)).toEqual({ revenueMinor: 0, points: 11_000 });
  });
});

describe('planStayAdjustment applied in turn at the tier of each day (a refund takes the newest revenue first)', () => {
  const STAY_KEY = 'grand-new-york/R-3';
  /** A stay of 200 USD credited at member: 2,000 base points. */
  const MEMBER_STAY = earned(STAY_KEY, 2_000, at(-10));
  /** The same stay credited at titanium: 2,000 base points and 1,500 of tier bonus. */
  const TITANIUM_STAY = earned(STAY_KEY, 3_500, at(-10), 2_000);

  /**
   * The stay credited with `earn`, then each room revenue delta (USD cents) applied at the tier the guest has
   * that day, as `credited-stay-adjustment` applies them: the points the account keeps, and the stay's base
   * points still on its qualifying year (each top-up's added, each reversal's taken off).
   */
  function applyAtTiers(
    earn: EarnResult,
    ...steps: [delta: number, tierId: string][]
  ): { points: number; basePoints: number; revenueMinor: number; account: LedgerAccount } {
    let stay: AdjustableStay = {
      ...STAY,
      stayKey: STAY_KEY,
      qualifyingRevenueMinor: 20_000,
      points: earn.total,
      basePoints: earn.basePoints,
    };
    let account = LedgerAccount.open('acc-1', 'g', at(-30)).earn(earn, 'evt-stay', POLICY, T0).account;
    let basePoints = earn.basePoints;
    steps.forEach(([delta, tierId], i) => {
      const room = { amountMinor: delta, currency: 'USD' };
      const plan = planStayAdjustment(stay, adjustment({ ...revenue(0), room }), tierId, DEFAULT_PROGRAM);
      const when = at(i + 1);
      if (plan.move.kind === 'reverse') {
        const change = account.reverse(STAY_KEY, plan.move.share, `evt-adjustment-${i}`, when);
        account = change.account;
        for (const event of change.events) {
          if (event.type === 'points-reversed') basePoints -= event.qualifyingBasePointsReversed;
        }
      } else if (plan.move.kind === 'top-up') {
        account = account.topUpStay(plan.move.topUp, `evt-adjustment-${i}`, when, POLICY, when).account;
        basePoints += plan.move.topUp.basePoints;
      }
      stay = plan.stay;
    });
    expect(checkInvariants(account)).toEqual([]);
    return {
      points: account.balances().total,
      basePoints,
      revenueMinor: stay.qualifyingRevenueMinor,
      account,
    };
  }

  it("should give back all a charge earned at a higher tier, and none of the stay's, when the charge is voided", () => {
    // 200 USD at member: 2,000. A 100 USD charge once titanium: 1,000 base + 750 bonus. Then voided.
    expect(applyAtTiers(MEMBER_STAY, [10_000, 'titanium']).points).toBe(3_750);
    expect(applyAtTiers(MEMBER_STAY, [10_000, 'titanium'], [-10_000, 'titanium'])).toMatchObject({
      points: 2_000,
      basePoints: 2_000,
      revenueMinor: 20_000,
    });
  });

  it("should leave the stay's own bonus when a charge earned at a lower tier is voided", () => {
    // 200 USD at titanium: 3,500. A 100 USD charge after a downgrade to member: 1,000. Then voided.
    expect(applyAtTiers(TITANIUM_STAY, [10_000, 'member'], [-10_000, 'member'])).toMatchObject({
      points: 3_500,
      basePoints: 2_000,
    });
  });

  it("should take all of the charge's points, then the stay's at its own rate, when a refund spans both", () => {
    // 150 USD refunded: the 100 USD charge (1,750 points), then 50 of the stay's 200 USD (500 of 2,000).
    const { points, basePoints, account } = applyAtTiers(
      MEMBER_STAY,
      [10_000, 'titanium'],
      [-15_000, 'member'],
    );
    expect({ points, basePoints }).toEqual({ points: 1_500, basePoints: 1_500 });
    const reversals = account.toSnapshot().entries.filter((entry) => entry.type === 'reverse');
    // Newest first; the top-up's reversal records the revenue it took, the stay's own needs none.
    expect(
      reversals.map((entry) => [entry.points, entry.cause.earnEntryId, entry.cause.stayRevenueMinor]),
    ).toEqual([
      [-1_750, 'acc-1:2', 10_000],
      [-500, 'acc-1:1', undefined],
    ]);
  });

  it('should give back exactly what the charge earned when it is voided in parts, and all of the stay once the rest is refunded', () => {
    // 100.00 USD voided as 33.33 + 33.33 + 33.34: 583 + 583 + 584 of the charge's 1,750.
    const voided = applyAtTiers(
      MEMBER_STAY,
      [10_000, 'titanium'],
      [-3_333, 'titanium'],
      [-3_333, 'titanium'],
      [-3_334, 'titanium'],
    );
    expect(voided).toMatchObject({ points: 2_000, basePoints: 2_000, revenueMinor: 20_000 });
    // Then the stay's own 200.00 USD in parts: nothing is left of it, and its base points are off the year.
    const refunded = applyAtTiers(
      MEMBER_STAY,
      [10_000, 'titanium'],
      [-3_333, 'titanium'],
      [-3_333, 'titanium'],
      [-3_334, 'titanium'],
      [-6_667, 'titanium'],
      [-13_333, 'titanium'],
    );
    expect(refunded).toMatchObject({ points: 0, basePoints: 0, revenueMinor: 0 });
  });

  it('should take a later charge before what is left of an earlier one that was refunded in part', () => {
    // 100 USD at titanium (1,750), 40 of it refunded (700), 50 USD at member (500), then 70 USD refunded:
    // the 50 USD charge whole, then 20 of the 60 USD left of the first (350 of its 1,050).
    const { points } = applyAtTiers(
      MEMBER_STAY,
      [10_000, 'titanium'],
      [-4_000, 'titanium'],
      [5_000, 'member'],
      [-7_000, 'member'],
    );
    expect(points).toBe(2_000 + 1_750 - 700 + 500 - 500 - 350);
  });
});

describe('qualifyingRevenueChange', () => {
  it('should count room and F&B where the property counts F&B', () => {
    expect(qualifyingRevenueChange(adjustment(revenue(-100, -20, -50)), DEFAULT_PROGRAM)).toBe(-12_000);
  });

  it('should refuse a property the program does not know and revenue in another currency, which no stay can mend', () => {
    expect(() =>
      qualifyingRevenueChange({ propertyId: 'nowhere', revenueDelta: revenue(10) }, DEFAULT_PROGRAM),
    ).toThrow(expect.objectContaining({ code: LedgerErrorCode.UNKNOWN_PROPERTY }));
    const euros = { ...revenue(0), room: { amountMinor: 100, currency: 'EUR' } };
    expect(() => qualifyingRevenueChange(adjustment(euros), DEFAULT_PROGRAM)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.CURRENCY_MISMATCH }),
    );
  });
});
