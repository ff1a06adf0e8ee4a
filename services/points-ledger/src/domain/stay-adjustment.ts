import { postedAfter } from '@loyalty/contracts';
import { qualifyingRevenueOf, requireProperty, type StayRevenue } from './earning';
import type { ProgramRules } from './program-rules';
import type { RefundShare } from './reversal';
import { requalifiedNights, topUpOnQualifyingRevenue, type TopUpResult } from './stay-top-up';

/** A credited stay as its adjustments read and change it. */
export interface AdjustableStay {
  readonly stayKey: string;
  readonly propertyId: string;
  /** Whether the stay's booking channel earns points. */
  readonly earning: boolean;
  /**
   * The stay's qualifying revenue with every adjustment added, in the property's currency. Below zero when
   * more was refunded than it had: the excess stays deducted, so a later charge earns only past it.
   */
  readonly qualifyingRevenueMinor: number;
  /** Points and base points the stay earned, top-ups included (refunds are entries of their own). */
  readonly points: number;
  readonly basePoints: number;
  readonly nights: number;
  readonly stays: number;
  /** The posting that set the nights the stay counts, if an adjustment set them. */
  readonly nightsSetBy: NightsSetBy | null;
}

/**
 * When the adjustment that set a stay's nights was posted (an ISO instant, to the microsecond), and which
 * it was (`propertyId/adjustmentId`; none for nights set before the ledger kept it).
 */
export interface NightsSetBy {
  readonly adjustedAt: string;
  readonly adjustmentKey: string | null;
}

/** What the property says changed (`stay-adjusted`). */
export interface StayAdjustment {
  readonly propertyId: string;
  /** The change per revenue line, signed: a refund is negative. */
  readonly revenueDelta: StayRevenue;
  /** The stay's nights after the adjustment (v2), when it changes them. */
  readonly nights?: number;
  /** When it was posted, as the property sent it (an ISO instant). */
  readonly adjustedAt: string;
  /** `propertyId/adjustmentId`, which orders two posted at one instant. */
  readonly adjustmentKey: string;
}

/** What an adjustment does to the stay's points: the clawback rule or a top-up. */
export type PointsMove =
  | { readonly kind: 'none' }
  | { readonly kind: 'reverse'; readonly share: RefundShare }
  | { readonly kind: 'top-up'; readonly topUp: TopUpResult };

export interface StayAdjustmentPlan {
  readonly move: PointsMove;
  /** The stay as the adjustment leaves it. */
  readonly stay: AdjustableStay;
}

/**
 * The change of qualifying revenue (room, and F&B where the property counts it), in the property's
 * currency. Throws for a property the program does not know or revenue in another currency, which no
 * stay can mend: checked before an adjustment waits for its stay, too.
 */
export function qualifyingRevenueChange(
  adjustment: Pick<StayAdjustment, 'propertyId' | 'revenueDelta'>,
  program: ProgramRules,
): number {
  return qualifyingRevenueOf(adjustment.revenueDelta, requireProperty(program, adjustment.propertyId))
    .amountMinor;
}

/**
 * What an adjustment does to a credited stay. Points follow the revenue the stay has above zero: less takes
 * back the points of the revenue refunded, measured against what is left, newest revenue first
 * (`reverseStay`: a charge's top-up before the stay's own credit); more earns the difference at `tierId`
 * (`topUpOnQualifyingRevenue`). The revenue itself takes every delta unclamped,
 * so deltas add up whatever their order: a refund of more than is left, then a charge, earns only what the
 * charge brings above zero. Nights are absolute (`currentNights`) and replace the stay's qualifying nights
 * (`requalifiedNights`).
 */
export function planStayAdjustment(
  stay: AdjustableStay,
  adjustment: StayAdjustment,
  tierId: string,
  program: ProgramRules,
): StayAdjustmentPlan {
  const delta = qualifyingRevenueChange(adjustment, program);
  const move = pointsMoveOf(stay, delta, tierId, program);
  const nights = currentNights(adjustment, stay.nightsSetBy);
  const { adjustedAt, adjustmentKey } = adjustment;
  const requalified =
    nights === undefined
      ? {}
      : { ...requalifiedNights(stay, nights, program), nightsSetBy: { adjustedAt, adjustmentKey } };
  return { move, stay: { ...stay, ...revenueAfter(stay, move, delta), ...requalified } };
}

/**
 * The nights an adjustment sets, unless one posted after it (`postedAfter`, as every service orders them)
 * already set them: v2 nights are the stay's nights after the adjustment, not a change, so the latest
 * posted must win whatever order they arrive in. Nights set before the ledger kept which adjustment set
 * them give way to any posted at their instant.
 */
export function currentNights(
  adjustment: Pick<StayAdjustment, 'nights' | 'adjustedAt' | 'adjustmentKey'>,
  setBy: NightsSetBy | null,
): number | undefined {
  if (adjustment.nights === undefined) return undefined;
  if (setBy !== null && !postedAfter(adjustment, { ...setBy, adjustmentKey: setBy.adjustmentKey ?? '' })) {
    return undefined;
  }
  return adjustment.nights;
}

/** Revenue above zero: what the stay's points stand for. */
const earningRevenue = (revenueMinor: number): number => Math.max(0, revenueMinor);

/**
 * A refund reverses the points of the earning revenue it takes away (`part` of the `whole` the stay had
 * above zero); a charge added tops them up on what it adds to it.
 */
function pointsMoveOf(
  stay: AdjustableStay,
  delta: number,
  tierId: string,
  program: ProgramRules,
): PointsMove {
  const before = earningRevenue(stay.qualifyingRevenueMinor);
  const after = earningRevenue(stay.qualifyingRevenueMinor + delta);
  if (after < before) return { kind: 'reverse', share: { part: before - after, whole: before } };
  if (after > before) {
    return { kind: 'top-up', topUp: topUpOnQualifyingRevenue(stay, after - before, tierId, program) };
  }
  return { kind: 'none' };
}

function revenueAfter(
  stay: AdjustableStay,
  move: PointsMove,
  delta: number,
): Pick<AdjustableStay, 'qualifyingRevenueMinor'> & Partial<Pick<AdjustableStay, 'points' | 'basePoints'>> {
  const qualifyingRevenueMinor = stay.qualifyingRevenueMinor + delta;
  if (move.kind !== 'top-up') return { qualifyingRevenueMinor };
  return {
    qualifyingRevenueMinor,
    points: stay.points + move.topUp.total,
    basePoints: stay.basePoints + move.topUp.basePoints,
  };
}
