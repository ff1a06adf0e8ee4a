import { addMonths, startOfYear } from './calendar';
import type { QualifyingCredit } from './earning';
import type { YearTally } from './milestones';
import type { ProgramRules, QualificationWindow, TierRule, TierThresholds } from './program-rules';
import { LedgerError, LedgerErrorCode } from './ledger-error';

export type TierMetric = keyof TierThresholds;
export const TIER_METRICS: readonly TierMetric[] = ['nights', 'stays', 'basePoints'];

/** Qualifying credits accumulated in the qualification window. */
export type TierProgress = QualifyingCredit;

/** An account's qualifying credits of one year, and the most nights and stays it reached. */
export interface YearProgress extends QualifyingCredit, YearTally {
  readonly year: number;
}

/** The progress of `year` among an account's years; none counted yet when it has no row. */
export function progressOfYear(years: readonly YearProgress[], year: number): YearProgress {
  return (
    years.find((row) => row.year === year) ?? {
      year,
      nights: 0,
      stays: 0,
      basePoints: 0,
      reached: { nights: 0, stays: 0 },
    }
  );
}

/** One qualifying credit as stored: a stay's credit, or a negative one when a stay is reversed. */
export interface DatedQualifyingCredit extends QualifyingCredit {
  readonly at: Date;
}

export function windowStart(window: QualificationWindow, now: Date): Date {
  return window.kind === 'calendar-year' ? startOfYear(now.getUTCFullYear()) : addMonths(now, -window.months);
}

/** Sums the credits inside the window ending at `now` (calendar year to date, or the last N months). */
export function progressInWindow(
  credits: readonly DatedQualifyingCredit[],
  window: QualificationWindow,
  now: Date,
): TierProgress {
  const from = windowStart(window, now).getTime();
  const inside = credits.filter(
    (credit) => credit.at.getTime() >= from && credit.at.getTime() <= now.getTime(),
  );
  // A reversal may land in a later window than its stay; progress is never below zero.
  const sum = (metric: TierMetric): number =>
    Math.max(
      0,
      inside.reduce((total, credit) => total + credit[metric], 0),
    );
  return { nights: sum('nights'), stays: sum('stays'), basePoints: sum('basePoints') };
}

export function tierRank(program: ProgramRules, tierId: string): number {
  const rank = program.tiers.findIndex((tier) => tier.id === tierId);
  if (rank < 0) throw new LedgerError(LedgerErrorCode.UNKNOWN_TIER, `unknown tier ${tierId}`, { tierId });
  return rank;
}

export function metricsMet(tier: TierRule, progress: TierProgress): TierMetric[] {
  return TIER_METRICS.filter((metric) => {
    const threshold = tier.thresholds[metric];
    return threshold !== undefined && progress[metric] >= threshold;
  });
}

/** The highest tier any one threshold of which is reached; the base tier when none is. */
export function qualifiedTier(
  progress: TierProgress,
  program: ProgramRules,
): { rank: number; qualifiedBy: TierMetric[] } {
  for (let rank = program.tiers.length - 1; rank > 0; rank -= 1) {
    const qualifiedBy = metricsMet(program.tiers[rank], progress);
    if (qualifiedBy.length > 0) return { rank, qualifiedBy };
  }
  return { rank: 0, qualifiedBy: [] };
}

export interface NextTierProgress {
  readonly nextTierId: string;
  /** What is still missing on each metric the next tier has; reaching any one of them is enough. */
  readonly remaining: Partial<Record<TierMetric, number>>;
}

/** Null at the top of the ladder. */
export function progressToNextTier(
  progress: TierProgress,
  program: ProgramRules,
  currentTierId: string,
): NextTierProgress | null {
  const next = program.tiers[tierRank(program, currentTierId) + 1];
  if (!next) return null;
  const remaining: Partial<Record<TierMetric, number>> = {};
  for (const metric of TIER_METRICS) {
    const threshold = next.thresholds[metric];
    if (threshold !== undefined) remaining[metric] = Math.max(0, threshold - progress[metric]);
  }
  return { nextTierId: next.id, remaining };
}
