import { DEFAULT_PROGRAM } from './default-program';
import type { StayRevenue } from './earning';
import { LedgerErrorCode } from './ledger-error';
import {
  currentNights,
  planStayAdjustment,
  qualifyingRevenueChange,
  type AdjustableStay,
  type StayAdjustment,
} from './stay-adjustment';

const usd = (major: number) => ({ amountMinor: major * 100, currency: 'USD' });
const revenue = (room: number, foodAndBeverage = 0, other = 0): StayRevenue => ({
  room: usd(room),
  foodAndBeverage: usd(foodAndBeverage),
  other: usd(other),
});
const MONDAY = new Date('2026-03-02T10:00:00Z');
const TUESDAY = new Date('2026-03-03T10:00:00Z');

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
  nightsAdjustedAt: null,
};
const adjustment = (revenueDelta: StayRevenue, more: Partial<StayAdjustment> = {}): StayAdjustment => ({
  propertyId: STAY.propertyId,
  revenueDelta,
  adjustedAt: MONDAY,
  ...more,
});

describe('currentNights (v2 nights are absolute: the latest posted wins)', () => {
  it('should set no nights when the adjustment carries none', () => {
    expect(currentNights({ adjustedAt: TUESDAY }, null)).toBeUndefined();
  });

  it('should set the nights when no adjustment set them before', () => {
    expect(currentNights({ nights: 2, adjustedAt: MONDAY }, null)).toBe(2);
  });

  it('should set the nights when they were posted after (or when) the nights in effect were', () => {
    expect(currentNights({ nights: 2, adjustedAt: TUESDAY }, MONDAY)).toBe(2);
    expect(currentNights({ nights: 2, adjustedAt: MONDAY }, MONDAY)).toBe(2);
  });

  it('should ignore nights posted before the nights in effect, when an older correction arrives after a newer one', () => {
    expect(currentNights({ nights: 2, adjustedAt: MONDAY }, TUESDAY)).toBeUndefined();
  });
});

describe('planStayAdjustment (what an adjustment does to a credited stay)', () => {
  it('should reverse the refunded share of the revenue the stay still has, and lower that revenue', () => {
    const plan = planStayAdjustment(STAY, adjustment(revenue(-100)), 'member', DEFAULT_PROGRAM);
    expect(plan.move).toEqual({ kind: 'reverse', share: { part: 10_000, whole: 40_000 } });
    expect(plan.stay).toEqual({ ...STAY, qualifyingRevenueMinor: 30_000 });
  });

  it('should reverse all the stay has left, and no more, when more is refunded than it has', () => {
    const plan = planStayAdjustment(STAY, adjustment(revenue(-500)), 'member', DEFAULT_PROGRAM);
    expect(plan.move).toEqual({ kind: 'reverse', share: { part: 40_000, whole: 40_000 } });
    expect(plan.stay.qualifyingRevenueMinor).toBe(0);
  });

  it('should move no points when the stay has no qualifying revenue left to refund', () => {
    const refunded = { ...STAY, qualifyingRevenueMinor: 0 };
    const plan = planStayAdjustment(refunded, adjustment(revenue(-100)), 'member', DEFAULT_PROGRAM);
    expect(plan).toEqual({ move: { kind: 'none' }, stay: refunded });
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
    expect(plan.stay).toEqual({ ...STAY, nights: 0, stays: 0, nightsAdjustedAt: TUESDAY });
  });

  it('should keep the newer nights but still apply the revenue of an older adjustment that arrives after it', () => {
    const corrected = { ...STAY, nights: 1, nightsAdjustedAt: TUESDAY };
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
