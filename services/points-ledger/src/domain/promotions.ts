import { divideRounded, parseDecimal, RoundingMode, toSafeInteger, ZERO } from './decimal';
import type { PromotionRule } from './program-rules';

/** What a promotion looks at; base points are the stay's points before tier bonus and other promotions. */
export interface PromotionStay {
  readonly propertyId: string;
  readonly brandId: string;
  readonly arrival: string;
  readonly departure: string;
  readonly nights: number;
  readonly basePoints: number;
}

export interface PromotionAwardLine {
  readonly id: string;
  readonly points: number;
  /** The limit period this award counts against, for the caller to record the guest's usage. */
  readonly limitPeriod: string;
}

/**
 * The period key a per-guest limit counts in, taken from the departure date (the day the stay completes):
 * `promotion` for the promotion's whole life, `2026` for a calendar year, `2026-03` for a month.
 */
export function promotionLimitPeriod(promotion: PromotionRule, departure: string): string {
  const period = promotion.limit?.period ?? 'promotion';
  if (period === 'calendar-year') return departure.slice(0, 4);
  if (period === 'calendar-month') return departure.slice(0, 7);
  return 'promotion';
}

export function isPromotionEligible(promotion: PromotionRule, stay: PromotionStay): boolean {
  // YYYY-MM-DD strings order like the dates they name.
  const inWindow = stay.arrival >= promotion.startDate && stay.departure <= promotion.endDate;
  const atProperty = !promotion.propertyIds || promotion.propertyIds.includes(stay.propertyId);
  const atBrand = !promotion.brandIds || promotion.brandIds.includes(stay.brandId);
  return inWindow && atProperty && atBrand && stay.nights >= (promotion.minNights ?? 0);
}

export function promotionPoints(
  promotion: PromotionRule,
  basePoints: number,
  rounding: RoundingMode,
): number {
  const { award } = promotion;
  if (award.kind === 'fixed') return award.points;
  // Multipliers apply to base points only, never to the tier bonus or another promotion, so the
  // evaluation order cannot compound them.
  const multiplier = parseDecimal(award.multiplier);
  const extra = BigInt(basePoints) * (multiplier.numerator - multiplier.denominator);
  return extra <= ZERO ? 0 : toSafeInteger(divideRounded(extra, multiplier.denominator, rounding));
}

/**
 * Applies promotions in a fixed order (priority, then id). A promotion is skipped when the stay does not
 * qualify or the guest has used up its limit; `usage` holds awards already received in the stay's limit
 * period. An exclusive promotion only applies alone: it is skipped after another applied, and ends the run.
 */
export function evaluatePromotions(
  stay: PromotionStay,
  promotions: readonly PromotionRule[],
  usage: Readonly<Record<string, number>>,
  rounding: RoundingMode,
): PromotionAwardLine[] {
  const ordered = [...promotions].sort(
    (a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const awards: PromotionAwardLine[] = [];
  for (const promotion of ordered) {
    if (!isPromotionEligible(promotion, stay)) continue;
    if (promotion.limit && (usage[promotion.id] ?? 0) >= promotion.limit.maxAwards) continue;
    if (promotion.exclusive && awards.length > 0) continue;
    const points = promotionPoints(promotion, stay.basePoints, rounding);
    if (points > 0)
      awards.push({ id: promotion.id, points, limitPeriod: promotionLimitPeriod(promotion, stay.departure) });
    if (promotion.exclusive && points > 0) break;
  }
  return awards;
}
