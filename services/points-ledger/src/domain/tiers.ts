import { endOfYear } from './calendar';
import type { ProgramRules } from './program-rules';
import { qualifiedTier, TierMetric, TierProgress, tierRank, type YearProgress } from './tier-progress';

// Status rules. Crossing a threshold upgrades at once, valid to the end of the next calendar year; reaching
// the current tier again extends it likewise. Nothing drops mid-year: downgrades happen only at the
// year-end re-evaluation, and only for status whose validity ends with that year. A manual override locks
// the tier against every automatic move, up as well as down, until the lock is released or runs out.

export interface TierLock {
  readonly staffId: string;
  readonly reason: string;
  readonly lockedAt: Date;
  /** Null: locked until released. */
  readonly until: Date | null;
}

export interface TierStatus {
  readonly tierId: string;
  /** Null for the base tier, or for status granted without end. */
  readonly validUntil: Date | null;
  readonly lock?: TierLock;
}

export type TierChangeReason = 'qualified' | 'requalified' | 'year-end-downgrade' | 'override' | 'merged';

/**
 * Every move, reported; `requalified` keeps the tier and moves `validUntil`; `merged` is the status an
 * account merged into this one brought.
 */
export interface TierChange {
  readonly from: string;
  readonly to: string;
  readonly reason: TierChangeReason;
  readonly validUntil: Date | null;
  readonly at: Date;
  readonly qualifiedBy?: readonly TierMetric[];
}

export interface TierEvaluation {
  readonly status: TierStatus;
  readonly change: TierChange | null;
}

export function isLocked(status: TierStatus, now: Date): boolean {
  return (
    status.lock !== undefined && (status.lock.until === null || now.getTime() < status.lock.until.getTime())
  );
}

function withoutLock(status: TierStatus): TierStatus {
  return { tierId: status.tierId, validUntil: status.validUntil };
}

/** Upgrade or extension earned by `progress`, valid until `validUntil`; null when it changes nothing. */
function qualify(
  progress: TierProgress,
  program: ProgramRules,
  current: TierStatus,
  validUntil: Date,
  now: Date,
): TierEvaluation | null {
  const currentRank = tierRank(program, current.tierId);
  const { rank, qualifiedBy } = qualifiedTier(progress, program);
  const extendsValidity =
    rank === currentRank &&
    rank > 0 &&
    current.validUntil !== null &&
    current.validUntil.getTime() < validUntil.getTime();
  if (rank < currentRank || (rank === currentRank && !extendsValidity)) return null;
  const to = program.tiers[rank].id;
  const reason: TierChangeReason = rank > currentRank ? 'qualified' : 'requalified';
  return {
    status: { tierId: to, validUntil },
    change: { from: current.tierId, to, reason, validUntil, at: now, qualifiedBy },
  };
}

/** Status earned in qualifying year `year` is valid to the end of the next (UTC) year. */
function statusEarnedInYearValidUntil(year: number): Date {
  return endOfYear(year + 1);
}

/**
 * Whether credits of qualifying year `year`, applied at `now` (when the ledger applies them), are still
 * rewarded: while status earned in that year has not run out, i.e. this year and last year (and next year,
 * already begun somewhere east of UTC). A stay counts in its departure year however late it is credited,
 * and a merge adds up years of any age, so this is the only window there is: an older year's credits are
 * still added (and its milestone marks rise with them), but they upgrade no tier (`evaluateTier`) and pay
 * no milestone, whether a stay (`calculateEarn`), a correction of nights (`correctionMilestones`) or a
 * merge (`mergeQualifyingYears`) crosses it.
 */
export function yearStillRewarded(year: number, now: Date): boolean {
  return statusEarnedInYearValidUntil(year).getTime() > now.getTime();
}

/**
 * Run after every qualifying credit: upgrades (or extends) immediately, never downgrades. `progress` is
 * that of `qualificationYear` (the credited stay's year, by default now's), which qualifies only while it
 * is still rewarded (`yearStillRewarded`).
 */
export function evaluateTier(
  progress: TierProgress,
  program: ProgramRules,
  current: TierStatus,
  now: Date,
  qualificationYear = now.getUTCFullYear(),
): TierEvaluation {
  tierRank(program, current.tierId);
  if (isLocked(current, now)) return { status: current, change: null };
  const unlocked = withoutLock(current);
  if (!yearStillRewarded(qualificationYear, now)) return { status: unlocked, change: null };
  const validUntil = statusEarnedInYearValidUntil(qualificationYear);
  return qualify(progress, program, unlocked, validUntil, now) ?? { status: unlocked, change: null };
}

/**
 * Run once per member after `yearEnded` closes, with the progress of that year (or of the rolling window
 * ending then). Status still valid beyond that year is kept; expiring status is renewed if earned again,
 * otherwise lowered: by at most one tier (`drop-one-tier`) or to the tier earned (`recompute`).
 */
export function yearEndReevaluation(
  progress: TierProgress,
  program: ProgramRules,
  current: TierStatus,
  yearEnded: number,
  now: Date,
): TierEvaluation {
  const currentRank = tierRank(program, current.tierId);
  if (isLocked(current, now)) return { status: current, change: null };
  const unlocked = withoutLock(current);
  const nextValidUntil = statusEarnedInYearValidUntil(yearEnded);
  const renewed = qualify(progress, program, unlocked, nextValidUntil, now);
  if (renewed) return renewed;
  const { rank } = qualifiedTier(progress, program);
  const stillValid =
    current.validUntil === null || current.validUntil.getTime() > endOfYear(yearEnded).getTime();
  if (rank >= currentRank || stillValid) return { status: unlocked, change: null };
  const targetRank = program.downgradePolicy === 'recompute' ? rank : Math.max(rank, currentRank - 1);
  const to = program.tiers[targetRank].id;
  const validUntil = targetRank === 0 ? null : nextValidUntil;
  return {
    status: { tierId: to, validUntil },
    change: { from: current.tierId, to, reason: 'year-end-downgrade', validUntil, at: now },
  };
}

/**
 * The year-end re-evaluations a lock held back, caught up once it has run out (or was released): the
 * year-end run leaves locked status alone, so status whose validity ended while it was locked would
 * otherwise stay in force, expired, until a year-end after the lock. Each year from the one its validity
 * ended in up to `lastYearEnded` is re-evaluated in turn with that year's progress, as the runs of those
 * years would have done. Status still valid, or still locked, is left as it is; each re-evaluation moves
 * the validity past its year, so catching up again changes nothing.
 */
export function catchUpYearEnds(
  progressOfYear: (year: number) => TierProgress,
  program: ProgramRules,
  current: TierStatus,
  lastYearEnded: number,
  now: Date,
): { readonly status: TierStatus; readonly changes: readonly TierChange[] } {
  let status = current;
  const changes: TierChange[] = [];
  for (let year = overdueYearEnd(status, lastYearEnded, now); year !== null;) {
    const evaluation = yearEndReevaluation(progressOfYear(year), program, status, year, now);
    status = evaluation.status;
    if (evaluation.change) changes.push(evaluation.change);
    const next = overdueYearEnd(status, lastYearEnded, now);
    // A status whose validity did not move (a base tier given an end) has nothing more to catch up.
    year = next !== null && next > year ? next : null;
  }
  return { status, changes };
}

/** The year-end (the year its validity ended in) an unlocked status that has lapsed is still owed. */
function overdueYearEnd(status: TierStatus, lastYearEnded: number, now: Date): number | null {
  if (status.validUntil === null || isLocked(status, now)) return null;
  const year = status.validUntil.getUTCFullYear();
  return year <= lastYearEnded ? year : null;
}

/**
 * The status of the account that survives the merge of two profiles of one guest: the higher tier, with
 * its validity, and of one tier the status valid longer, so that the guest loses no status time. A lock
 * still in force on either side is a staff decision (a fraud hold at `member`, a status match) that no
 * automatic move may undo, so that side's status is kept with its lock. When both are locked, the lock set
 * last wins, the survivor's on a tie: it is the later decision about the guest.
 */
export function mergedTierStatus(
  survivor: TierStatus,
  merged: TierStatus,
  program: ProgramRules,
  now: Date,
): TierStatus {
  const survivorLock = isLocked(survivor, now) ? survivor.lock : undefined;
  const mergedLock = isLocked(merged, now) ? merged.lock : undefined;
  if (survivorLock && mergedLock) {
    return mergedLock.lockedAt.getTime() > survivorLock.lockedAt.getTime() ? merged : survivor;
  }
  if (survivorLock) return survivor;
  if (mergedLock) return merged;
  const higher = tierRank(program, merged.tierId) - tierRank(program, survivor.tierId);
  return higher > 0 || (higher === 0 && validLonger(merged, survivor)) ? withoutLock(merged) : survivor;
}

/** Whether status `a` is valid beyond status `b`; status without end outlasts any with one. */
function validLonger(a: TierStatus, b: TierStatus): boolean {
  if (a.validUntil === null) return b.validUntil !== null;
  return b.validUntil !== null && a.validUntil.getTime() > b.validUntil.getTime();
}

/**
 * The survivor's status after a merge: the status the two accounts bring (`mergedTierStatus`), then
 * evaluated as a stay would be (`evaluateTier`) on the counts the merge combined, year by year, oldest
 * first, so that counts that cross a threshold only together upgrade at once. Reported as one change from
 * the survivor's status before: `qualified` (or `requalified`, for its own tier) when the combined counts
 * earned the status, `merged` when the merged account brought it; none when tier and validity stay.
 */
export function tierAfterMerge(
  survivor: TierStatus,
  merged: TierStatus,
  combinedYears: readonly YearProgress[],
  program: ProgramRules,
  now: Date,
): TierEvaluation {
  let status = mergedTierStatus(survivor, merged, program, now);
  let qualification: TierChange | null = null;
  for (const year of [...combinedYears].sort((a, b) => a.year - b.year)) {
    const evaluation = evaluateTier(year, program, status, now, year.year);
    status = evaluation.status;
    qualification = evaluation.change ?? qualification;
  }
  const sameTier = status.tierId === survivor.tierId;
  if (sameTier && status.validUntil?.getTime() === survivor.validUntil?.getTime()) {
    return { status, change: null };
  }
  return {
    status,
    change: {
      from: survivor.tierId,
      to: status.tierId,
      reason: qualification === null ? 'merged' : sameTier ? 'requalified' : 'qualified',
      validUntil: status.validUntil,
      at: now,
      ...(qualification?.qualifiedBy ? { qualifiedBy: qualification.qualifiedBy } : {}),
    },
  };
}

export interface TierOverride {
  readonly tierId: string;
  readonly staffId: string;
  readonly reason: string;
  /** Null: locked until released. */
  readonly lockUntil: Date | null;
  /** Defaults to the end of next year (null for the base tier). */
  readonly validUntil?: Date | null;
}

export function overrideTier(
  current: TierStatus,
  program: ProgramRules,
  override: TierOverride,
  now: Date,
): TierEvaluation {
  const rank = tierRank(program, override.tierId);
  const validUntil =
    override.validUntil !== undefined
      ? override.validUntil
      : rank === 0
        ? null
        : statusEarnedInYearValidUntil(now.getUTCFullYear());
  const lock: TierLock = {
    staffId: override.staffId,
    reason: override.reason,
    lockedAt: now,
    until: override.lockUntil,
  };
  return {
    status: { tierId: override.tierId, validUntil, lock },
    change: { from: current.tierId, to: override.tierId, reason: 'override', validUntil, at: now },
  };
}

/** Lifts a lock; the tier stays until the next evaluation moves it. */
export function releaseTierOverride(current: TierStatus): TierStatus {
  return withoutLock(current);
}
