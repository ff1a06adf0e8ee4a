import type { Role } from '@loyalty/auth';
import type { ExchangeRates } from './currency';
import type { Decimal, RoundingMode } from './decimal';

// The configurable loyalty program. Everything a rule needs to decide comes from here, so a rule change is
// a configuration change, and the rules can be unit-tested against any program.

export interface BrandRule {
  readonly id: string;
  readonly name: string;
  /** Base points per one major unit of program currency (10 per USD at full-service brands). */
  readonly basePointsPerUnit: Decimal;
}

export interface PropertyRule {
  readonly id: string;
  readonly brandId: string;
  /** ISO-4217 currency the property bills in; revenue in any other currency is refused. */
  readonly currency: string;
  /** Room revenue always qualifies; food and beverage charged to the room only where this is set. */
  readonly foodAndBeverageQualifies: boolean;
}

export interface ChannelRules {
  /** Booking channels that earn no points (e.g. `ota`, `wholesale`). */
  readonly nonEarning: readonly string[];
  /** Whether stays booked through those channels still count nights and stays towards tier status. */
  readonly nonEarningCountsForQualification: boolean;
}

export interface TierThresholds {
  readonly nights?: number;
  readonly stays?: number;
  readonly basePoints?: number;
}

export interface TierRule {
  readonly id: string;
  readonly name: string;
  /** Reaching ANY one threshold qualifies; the lowest tier has none (everyone qualifies). */
  readonly thresholds: TierThresholds;
  /** Extra points as a whole percentage of base points (25 means +25%). */
  readonly bonusPercent: number;
}

export type QualificationWindow =
  { readonly kind: 'calendar-year' } | { readonly kind: 'rolling'; readonly months: number };

/** `drop-one-tier` lands a guest at most one tier lower per year; `recompute` drops to what they qualified for. */
export type DowngradePolicy = 'drop-one-tier' | 'recompute';

export type PromotionAward =
  /** Extra points of `base × (multiplier − 1)`: a multiplier of 2 doubles base points. */
  | { readonly kind: 'multiplier'; readonly multiplier: Decimal }
  | { readonly kind: 'fixed'; readonly points: number };

/** The period a per-guest promotion limit counts over. */
export type LimitPeriod = 'promotion' | 'calendar-year' | 'calendar-month';

export interface PromotionRule {
  readonly id: string;
  readonly name: string;
  /** Evaluation order, lowest first; ties are broken by id so the order never depends on list order. */
  readonly priority: number;
  /** Property-local dates, inclusive: the stay must arrive on or after `startDate` and depart on or before `endDate`. */
  readonly startDate: string;
  readonly endDate: string;
  readonly propertyIds?: readonly string[];
  readonly brandIds?: readonly string[];
  readonly minNights?: number;
  readonly award: PromotionAward;
  /** An exclusive promotion applies only when no earlier one did, and stops the evaluation after it. */
  readonly exclusive?: boolean;
  readonly limit?: { readonly maxAwards: number; readonly period: LimitPeriod };
}

/** Bonus points for crossing `startAt`, then every `every` more, within a calendar year. */
export interface MilestoneRule {
  readonly id: string;
  readonly metric: 'nights' | 'stays';
  readonly startAt: number;
  /** Absent: a one-off milestone at `startAt`. */
  readonly every?: number;
  readonly points: number;
}

export interface ExpiryRule {
  readonly months: number;
  readonly exemptTierIds: readonly string[];
}

export interface ExpiryPolicy {
  /** Each lot expires this many months after it was credited; null switches per-lot expiry off. */
  readonly lot: ExpiryRule | null;
  /** Every unheld point expires after this many months without an earn or a redemption; null switches it off. */
  readonly inactivity: ExpiryRule | null;
  /** How far ahead `points-expiring-soon` warns. */
  readonly warningDays: number;
}

/** A number of points per role: the most one adjustment may move, or one staff member in a day. */
export type AdjustmentCaps = Readonly<Record<Role, number>>;

export interface RoundingRules {
  /** Converting revenue to program-currency minor units. */
  readonly currencyConversion: RoundingMode;
  /** Base points, tier bonus and multiplier promotions. */
  readonly points: RoundingMode;
}

export interface ProgramRules {
  readonly programCurrency: string;
  readonly exchangeRates: ExchangeRates;
  readonly brands: Readonly<Record<string, BrandRule>>;
  readonly properties: Readonly<Record<string, PropertyRule>>;
  readonly channels: ChannelRules;
  /** Lowest first; the first tier is the one every member starts in. */
  readonly tiers: readonly TierRule[];
  readonly qualificationWindow: QualificationWindow;
  readonly downgradePolicy: DowngradePolicy;
  readonly promotions: readonly PromotionRule[];
  readonly milestones: readonly MilestoneRule[];
  /** Days after checkout a lot stays `pending`, so folio corrections land before points can be spent. */
  readonly lockPeriodDays: number;
  readonly holdTtlMinutes: number;
  readonly expiry: ExpiryPolicy;
  /** The largest number of points (either sign) one adjustment or transfer by each role may move; 0 forbids them. */
  readonly adjustmentCaps: AdjustmentCaps;
  /**
   * The most points (either sign, summed) one staff member may adjust or transfer by hand in any 24 hours,
   * by their strongest role: the cap alone lets a desk repeat requests without end. Compensation granted
   * through complaints is limited there, not here.
   */
  readonly dailyAdjustmentLimits: AdjustmentCaps;
  readonly rounding: RoundingRules;
}

/** The part of the program the ledger account itself needs. */
export type LedgerPolicy = Pick<ProgramRules, 'lockPeriodDays' | 'expiry' | 'adjustmentCaps'>;
