import { qualifyingRevenueOf, requireProperty, type StayRevenue } from './earning';
import type { ProgramRules } from './program-rules';
import type { RefundShare } from './reversal';
import { calculateTopUp, requalifiedNights, type TopUpResult } from './stay-top-up';

/** A credited stay as its adjustments read and change it. */
export interface AdjustableStay {
  readonly stayKey: string;
  readonly propertyId: string;
  /** Whether the stay's booking channel earns points. */
  readonly earning: boolean;
  /** The qualifying revenue the stay still has, refunds deducted, in the property's currency. */
  readonly qualifyingRevenueMinor: number;
  /** Points and base points the stay earned, top-ups included (refunds are entries of their own). */
  readonly points: number;
  readonly basePoints: number;
  readonly nights: number;
  readonly stays: number;
  /** When the nights the stay counts were posted, if an adjustment set them. */
  readonly nightsAdjustedAt: Date | null;
}

/** What the property says changed (`stay-adjusted`). */
export interface StayAdjustment {
  readonly propertyId: string;
  /** The change per revenue line, signed: a refund is negative. */
  readonly revenueDelta: StayRevenue;
  /** The stay's nights after the adjustment (v2), when it changes them. */
  readonly nights?: number;
  readonly adjustedAt: Date;
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
 * What an adjustment does to a credited stay. Less qualifying revenue takes back the share of what the
 * stay still has that was refunded, and lowers that revenue, so a later refund is measured against what is
 * left; more earns the difference at `tierId` (`calculateTopUp`). Revenue deltas add up, whatever their
 * order. Nights are absolute (`currentNights`) and replace the stay's qualifying nights
 * (`requalifiedNights`).
 */
export function planStayAdjustment(
  stay: AdjustableStay,
  adjustment: StayAdjustment,
  tierId: string,
  program: ProgramRules,
): StayAdjustmentPlan {
  const delta = qualifyingRevenueChange(adjustment, program);
  const move = pointsMoveOf(stay, adjustment, delta, tierId, program);
  const nights = currentNights(adjustment, stay.nightsAdjustedAt);
  const requalified =
    nights === undefined
      ? {}
      : { ...requalifiedNights(stay, nights, program), nightsAdjustedAt: adjustment.adjustedAt };
  return { move, stay: { ...stay, ...revenueAfter(stay, move, delta), ...requalified } };
}

/**
 * The nights an adjustment sets, unless a later-posted one already set them: v2 nights are the stay's
 * nights after the adjustment, not a change, so the latest posted must win whatever order they arrive in.
 */
export function currentNights(
  adjustment: Pick<StayAdjustment, 'nights' | 'adjustedAt'>,
  nightsAdjustedAt: Date | null,
): number | undefined {
  if (adjustment.nights === undefined) return undefined;
  if (nightsAdjustedAt !== null && adjustment.adjustedAt.getTime() < nightsAdjustedAt.getTime()) {
    return undefined;
  }
  return adjustment.nights;
}

/** A refund reverses points in proportion, if the stay has revenue left to refund; a charge added tops them up. */
function pointsMoveOf(
  stay: AdjustableStay,
  adjustment: StayAdjustment,
  delta: number,
  tierId: string,
  program: ProgramRules,
): PointsMove {
  if (delta < 0) {
    if (stay.qualifyingRevenueMinor <= 0) return { kind: 'none' };
    const whole = stay.qualifyingRevenueMinor;
    return { kind: 'reverse', share: { part: Math.min(-delta, whole), whole } };
  }
  if (delta === 0) return { kind: 'none' };
  return { kind: 'top-up', topUp: calculateTopUp(stay, adjustment.revenueDelta, tierId, program) };
}

function revenueAfter(
  stay: AdjustableStay,
  move: PointsMove,
  delta: number,
): Partial<Pick<AdjustableStay, 'qualifyingRevenueMinor' | 'points' | 'basePoints'>> {
  switch (move.kind) {
    case 'reverse':
      return { qualifyingRevenueMinor: Math.max(0, stay.qualifyingRevenueMinor + delta) };
    case 'top-up':
      return {
        qualifyingRevenueMinor: stay.qualifyingRevenueMinor + delta,
        points: stay.points + move.topUp.total,
        basePoints: stay.basePoints + move.topUp.basePoints,
      };
    case 'none':
      return {};
  }
}
