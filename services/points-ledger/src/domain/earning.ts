import { nightsBetween, qualifyingYearOf } from './calendar';
import { convertMoney, minorUnitExponent, Money } from './currency';
import { divideRounded, parseDecimal, powerOfTen, toSafeInteger, type RoundingMode } from './decimal';
import { LedgerError, LedgerErrorCode } from './ledger-error';
import { evaluateMilestones, MilestoneAwardLine } from './milestones';
import type { BrandRule, ProgramRules, PropertyRule, TierRule } from './program-rules';
import { evaluatePromotions, PromotionAwardLine } from './promotions';
import { yearStillRewarded } from './tiers';

export interface StayRevenue {
  readonly room: Money;
  readonly foodAndBeverage: Money;
  readonly other: Money;
}

export interface StayForEarning {
  readonly stayId: string;
  readonly propertyId: string;
  readonly reservationId: string;
  /** Property-local `YYYY-MM-DD` dates. */
  readonly arrival: string;
  readonly departure: string;
  readonly channel: string;
  readonly revenue: StayRevenue;
  /** Starts the lock period of the points the stay earns. */
  readonly checkedOutAt: Date;
}

export interface GuestEarnContext {
  readonly tierId: string;
  /** Awards of each promotion already received in the limit period the stay falls in (`promotionLimitPeriod`). */
  readonly promotionUsage: Readonly<Record<string, number>>;
  /** Qualifying nights and stays credited in the departure's calendar year before this stay, for milestones. */
  readonly yearToDate: { readonly nights: number; readonly stays: number };
  /** The most nights and stays that year reached as its stays were credited: milestones up to them were paid. */
  readonly reached: { readonly nights: number; readonly stays: number };
}

/** Credits towards tier status, tracked apart from redeemable points. */
export interface QualifyingCredit {
  readonly nights: number;
  readonly stays: number;
  readonly basePoints: number;
}

export interface EarnResult {
  readonly stayKey: string;
  readonly stayId: string;
  readonly propertyId: string;
  readonly checkedOutAt: Date;
  readonly calculatedAt: Date;
  /** False when the booking channel earns nothing. */
  readonly earning: boolean;
  /** Room (and F&B where it qualifies) in program-currency minor units, as the points were computed from it. */
  readonly qualifyingRevenue: Money;
  readonly basePoints: number;
  readonly tierBonus: number;
  readonly promotions: readonly PromotionAwardLine[];
  readonly milestones: readonly MilestoneAwardLine[];
  readonly total: number;
  readonly qualifying: QualifyingCredit;
}

/**
 * The identity that makes a stay creditable once: the property's own reservation id, not the event id or
 * the profile's stay id, so a re-sent or re-recorded stay is still recognised as the same stay.
 */
export function stayKeyOf(stay: Pick<StayForEarning, 'propertyId' | 'reservationId'>): string {
  return `${stay.propertyId}/${stay.reservationId}`;
}

export function findTier(program: ProgramRules, tierId: string): TierRule {
  const tier = program.tiers.find((candidate) => candidate.id === tierId);
  if (!tier) throw new LedgerError(LedgerErrorCode.UNKNOWN_TIER, `unknown tier ${tierId}`, { tierId });
  return tier;
}

/** The property, its brand and the guest's tier: what every earning calculation is made with. */
export function rulesFor(
  program: ProgramRules,
  propertyId: string,
  tierId: string,
): { property: PropertyRule; brand: BrandRule; tier: TierRule } {
  const property = requireProperty(program, propertyId);
  return { property, brand: requireBrand(program, property.brandId), tier: findTier(program, tierId) };
}

/** Qualifying revenue converted to program-currency minor units, rounded once. */
export function programQualifyingRevenue(
  revenue: StayRevenue,
  property: PropertyRule,
  program: ProgramRules,
): Money {
  return inProgramCurrency(qualifyingRevenueOf(revenue, property), program);
}

/** Money converted to program-currency minor units, rounded once. */
export function inProgramCurrency(money: Money, program: ProgramRules): Money {
  return convertMoney(
    money,
    program.programCurrency,
    program.exchangeRates,
    program.rounding.currencyConversion,
  );
}

export function requireProperty(program: ProgramRules, propertyId: string): PropertyRule {
  const property = program.properties[propertyId];
  if (!property) {
    throw new LedgerError(LedgerErrorCode.UNKNOWN_PROPERTY, `unknown property ${propertyId}`, { propertyId });
  }
  return property;
}

function requireBrand(program: ProgramRules, brandId: string): BrandRule {
  const brand = program.brands[brandId];
  if (!brand) throw new LedgerError(LedgerErrorCode.UNKNOWN_BRAND, `unknown brand ${brandId}`, { brandId });
  return brand;
}

/** Room revenue, plus food and beverage where the property counts it, in the property's currency. */
export function qualifyingRevenueOf(revenue: StayRevenue, property: PropertyRule): Money {
  const parts = property.foodAndBeverageQualifies ? [revenue.room, revenue.foodAndBeverage] : [revenue.room];
  for (const part of parts) {
    if (part.currency !== property.currency) {
      throw new LedgerError(
        LedgerErrorCode.CURRENCY_MISMATCH,
        `${property.id} bills in ${property.currency}, got ${part.currency}`,
        {
          propertyId: property.id,
          currency: part.currency,
        },
      );
    }
  }
  return { amountMinor: parts.reduce((sum, part) => sum + part.amountMinor, 0), currency: property.currency };
}

const PERCENT = BigInt(100);

/** Base points on qualifying revenue in program currency, and the tier bonus on them, each rounded by `mode`. */
export function pointsOnRevenue(
  revenue: Money,
  brand: BrandRule,
  tier: TierRule,
  mode: RoundingMode,
): { basePoints: number; tierBonus: number } {
  const rate = parseDecimal(brand.basePointsPerUnit);
  const programUnit = powerOfTen(minorUnitExponent(revenue.currency));
  const basePoints = toSafeInteger(
    divideRounded(BigInt(revenue.amountMinor) * rate.numerator, rate.denominator * programUnit, mode),
  );
  const tierBonus = toSafeInteger(
    divideRounded(BigInt(basePoints) * BigInt(tier.bonusPercent), PERCENT, mode),
  );
  return { basePoints, tierBonus };
}

/**
 * Rounding, in this order and nowhere else: revenue is converted to program-currency minor units once,
 * with `rounding.currencyConversion` (half-up by default, like a statement line); base points are then
 * `revenue × base rate` with `rounding.points` (floor by default), the tier bonus `base × percent / 100`
 * and each multiplier promotion `base × (multiplier − 1)` likewise, each rounded on its own. All in bigint.
 * `now` is when the ledger credits the stay: it decides whether the stay's year still pays milestones
 * (`yearStillRewarded`), as it does for a merge.
 */
export function calculateEarn(
  stay: StayForEarning,
  guest: GuestEarnContext,
  program: ProgramRules,
  now: Date,
): EarnResult {
  const { property, brand, tier } = rulesFor(program, stay.propertyId, guest.tierId);
  const nights = nightsBetween(stay.arrival, stay.departure);
  if (nights < 1) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_ARGUMENT,
      `no night between ${stay.arrival} and ${stay.departure}`,
    );
  }

  const revenue = programQualifyingRevenue(stay.revenue, property, program);
  const identity = {
    stayKey: stayKeyOf(stay),
    stayId: stay.stayId,
    propertyId: stay.propertyId,
    checkedOutAt: stay.checkedOutAt,
    calculatedAt: now,
  };

  if (program.channels.nonEarning.includes(stay.channel)) {
    // No points means no base points either, so only nights and stays can count, and only if configured.
    const counts = program.channels.nonEarningCountsForQualification;
    return {
      ...identity,
      earning: false,
      qualifyingRevenue: revenue,
      basePoints: 0,
      tierBonus: 0,
      promotions: [],
      milestones: [],
      total: 0,
      qualifying: { nights: counts ? nights : 0, stays: counts ? 1 : 0, basePoints: 0 },
    };
  }

  const mode = program.rounding.points;
  const { basePoints, tierBonus } = pointsOnRevenue(revenue, brand, tier, mode);
  const promotions = evaluatePromotions(
    {
      propertyId: property.id,
      brandId: brand.id,
      arrival: stay.arrival,
      departure: stay.departure,
      nights,
      basePoints,
    },
    program.promotions,
    guest.promotionUsage,
    mode,
  );
  // However late it comes, the stay counts in its departure year; one no longer rewarded pays no milestone.
  const milestones = yearStillRewarded(qualifyingYearOf(stay.departure), now)
    ? evaluateMilestones(program.milestones, guest.yearToDate, guest.reached, nights)
    : [];
  const total = [
    basePoints,
    tierBonus,
    ...promotions.map((line) => line.points),
    ...milestones.map((line) => line.points),
  ].reduce((sum, points) => sum + points, 0);
  return {
    ...identity,
    earning: true,
    qualifyingRevenue: revenue,
    basePoints,
    tierBonus,
    promotions,
    milestones,
    total,
    qualifying: { nights, stays: 1, basePoints },
  };
}
