import type { AccountDraft } from './account-draft';
import { AccountSnapshot, balancesOf } from './account-snapshot';
import { latest } from './calendar';
import { LedgerError, LedgerErrorCode } from './ledger-error';
import { unreversedBasePoints, unreversedPoints, unreversedRevenuePoints } from './ledger-entry';
import { mergeMilestones, type MilestoneAwardLine } from './milestones';
import type { MilestoneRule } from './program-rules';
import { reverseEarn, settleClawback } from './reversal';
import { progressOfYear, type YearProgress } from './tier-progress';
import { yearStillRewarded } from './tiers';

/**
 * Moves the source account's whole history (entries, lots, holds, clawback owed) into the survivor, so
 * the combined balance and every entry survive unchanged; the survivor records the merge with a zero
 * `transfer` entry. A stay credited on both accounts would otherwise count twice, so the merged-in credit
 * is reversed (clawback rule applies). Returns the closed shell the source account becomes.
 */
export function mergeInto(draft: AccountDraft, source: AccountSnapshot): AccountSnapshot {
  if (source.id === draft.id) {
    throw new LedgerError(LedgerErrorCode.MERGE_CONFLICT, 'cannot merge an account into itself');
  }
  draft.assertNotClosed();
  if (source.status === 'closed') {
    throw new LedgerError(LedgerErrorCode.ACCOUNT_CLOSED, `account ${source.id} is closed`, {
      accountId: source.id,
    });
  }
  // A suspension is a deliberate staff decision; merging must not launder the points into a live account.
  if (source.status === 'suspended') {
    throw new LedgerError(LedgerErrorCode.ACCOUNT_SUSPENDED, `account ${source.id} is suspended`, {
      accountId: source.id,
    });
  }
  const clash = source.holds.find((hold) => draft.holds.some((own) => own.id === hold.id));
  if (clash) {
    throw new LedgerError(LedgerErrorCode.MERGE_CONFLICT, `both accounts have a hold ${clash.id}`, {
      holdId: clash.id,
    });
  }

  const ownEarns = draft.entries.filter((entry) => entry.type === 'earn');
  const creditedHere = new Set(
    ownEarns
      .filter((entry) => unreversedPoints(entry, draft.entries) > 0)
      .map((entry) => entry.cause.stayKey),
  );
  draft.entries.push(...source.entries);
  draft.lots.push(...source.lots);
  draft.holds.push(...source.holds);
  draft.clawbackOwed += source.clawbackOwed;
  draft.lastActivityAt = latest(draft.lastActivityAt, source.lastActivityAt);
  draft.mergedAccountIds.push(source.id, ...source.mergedAccountIds);
  const mergeEntry = draft.appendEntry({
    type: 'transfer',
    points: 0,
    cause: { kind: 'merge', counterpartyAccountId: source.id },
  });

  // Milestones an earlier merge paid name no stay: they are no credit of a stay to find on both sides.
  for (const earn of source.entries.filter(
    (entry) =>
      entry.type === 'earn' && entry.cause.stayKey !== undefined && creditedHere.has(entry.cause.stayKey),
  )) {
    const remaining = unreversedPoints(earn, draft.entries);
    if (remaining <= 0) continue;
    const basePoints = unreversedBasePoints(earn, unreversedRevenuePoints(earn, draft.entries));
    const cause = {
      kind: 'duplicate-credit' as const,
      stayKey: earn.cause.stayKey,
      earnEntryId: earn.id,
      counterpartyAccountId: source.id,
    };
    reverseEarn(draft, earn, remaining, cause, basePoints);
  }
  settleClawback(draft);
  draft.emit({
    type: 'accounts-merged',
    entryId: mergeEntry.id,
    sourceAccountId: source.id,
    survivorAccountId: draft.id,
    points: balancesOf(source).total,
  });
  return Object.freeze({
    ...source,
    status: 'closed' as const,
    lots: [],
    entries: [],
    holds: [],
    clawbackOwed: 0,
    mergedIntoAccountId: draft.id,
  });
}

/** The survivor's qualifying years after a merge, and the milestones the merge settles in them. */
export interface MergedYears {
  /** Each year the merged account counted in, as the survivor has it after the merge: both counts added. */
  readonly years: readonly YearProgress[];
  readonly milestones: readonly MilestoneAwardLine[];
}

/**
 * Adds the merged account's qualifying counts to the survivor's, year by year, and settles the milestones
 * the combined counts cross (`mergeMilestones`) in the years still rewarded at `now` (`yearStillRewarded`):
 * qualifying progress is never deleted, and two accounts with 65 nights between them in 2019 are no reason
 * for awards today. An older year's counts are added all the same and its marks rise to them, so no later
 * stay pays those thresholds either: they are history, and no award. Years only the survivor counted in do
 * not change.
 */
export function mergeQualifyingYears(
  survivor: readonly YearProgress[],
  merged: readonly YearProgress[],
  rules: readonly MilestoneRule[],
  now: Date,
): MergedYears {
  const milestones: MilestoneAwardLine[] = [];
  const years = merged.map((joining): YearProgress => {
    const own = progressOfYear(survivor, joining.year);
    const settlement = mergeMilestones(rules, own, joining);
    if (yearStillRewarded(joining.year, now)) milestones.push(...settlement.awards);
    return {
      year: joining.year,
      nights: own.nights + joining.nights,
      stays: own.stays + joining.stays,
      basePoints: own.basePoints + joining.basePoints,
      reached: settlement.reached,
    };
  });
  return { years, milestones };
}
