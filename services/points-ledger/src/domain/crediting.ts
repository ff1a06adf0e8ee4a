import type { AccountDraft } from './account-draft';
import { addDays, addMonths } from './calendar';
import type { EarnResult } from './earning';
import { LedgerError, LedgerErrorCode } from './ledger-error';
import type { EarnBreakdown, EntryCause } from './ledger-entry';
import type { MilestoneAwardLine } from './milestones';
import type { LedgerPolicy } from './program-rules';
import { earnEntriesFor, settleClawback } from './reversal';
import type { TopUpResult } from './stay-top-up';

/** When a lot credited now expires under the current policy; later policy changes do not move it. */
export function lotExpiryFrom(policy: LedgerPolicy, creditedAt: Date): Date | null {
  return policy.expiry.lot ? addMonths(creditedAt, policy.expiry.lot.months) : null;
}

/**
 * Credits a stay once. A stay that was already credited, under any event id, is acknowledged and ignored;
 * a stay that earned nothing (a non-earning channel) still gets a zero entry, so it is recorded as
 * credited and a re-delivery is recognised. Points stay pending until checkout + lock period.
 */
export function creditStay(
  draft: AccountDraft,
  result: EarnResult,
  sourceEventId: string,
  policy: LedgerPolicy,
): void {
  draft.assertActive();
  const credited = draft.entries.some(
    (entry) => entry.type === 'earn' && entry.cause.stayKey === result.stayKey,
  );
  if (credited) {
    draft.emit({ type: 'stay-already-credited', stayKey: result.stayKey });
    return;
  }
  bookEarn(draft, {
    stayKey: result.stayKey,
    points: result.total,
    cause: { kind: 'stay', stayKey: result.stayKey, sourceEventId },
    earn: {
      basePoints: result.basePoints,
      tierBonus: result.tierBonus,
      promotions: result.promotions,
      milestones: result.milestones,
    },
    lockFrom: result.checkedOutAt,
    policy,
  });
}

/**
 * Credits what revenue added to an already credited stay earns, as an earn entry of its own naming the
 * stay and recording the revenue it earned on (`stayRevenueMinor`), so a later refund takes it back before
 * the stay's own (`reverseStay`, last in, first out). Its points are pending for the lock period from when
 * the adjustment was posted, as the stay's were from check-out.
 */
export function creditTopUp(
  draft: AccountDraft,
  topUp: TopUpResult,
  sourceEventId: string,
  postedAt: Date,
  policy: LedgerPolicy,
): void {
  requireCreditedStay(draft, topUp.stayKey, topUp.total);
  if (topUp.total === 0) return;
  bookEarn(draft, {
    stayKey: topUp.stayKey,
    points: topUp.total,
    cause: { kind: 'stay-adjustment', stayKey: topUp.stayKey, sourceEventId },
    earn: {
      basePoints: topUp.basePoints,
      tierBonus: topUp.tierBonus,
      promotions: [],
      milestones: [],
      stayRevenueMinor: topUp.stayRevenueMinor,
    },
    lockFrom: postedAt,
    policy,
  });
}

/**
 * Credits the milestones a correction of a credited stay's nights crossed (`correctionMilestones`), as an
 * earn entry of their own naming the stay, pending for the lock period from when the correction was posted.
 * Refunds never take them: they have no revenue points.
 */
export function creditCorrectionMilestones(
  draft: AccountDraft,
  stayKey: string,
  milestones: readonly MilestoneAwardLine[],
  sourceEventId: string,
  postedAt: Date,
  policy: LedgerPolicy,
): void {
  const points = milestones.reduce((sum, line) => sum + line.points, 0);
  requireCreditedStay(draft, stayKey, points);
  if (points === 0) return;
  bookEarn(draft, {
    stayKey,
    points,
    cause: { kind: 'stay-adjustment', stayKey, sourceEventId },
    earn: { basePoints: 0, tierBonus: 0, promotions: [], milestones },
    lockFrom: postedAt,
    policy,
  });
}

/**
 * Credits the milestones a merge settled (`mergeMilestones`), an earn entry for each milestone, naming the
 * merge and no stay: the stays of two accounts crossed them together, so no refund or duplicate credit of
 * one stay takes them back. Pending for the lock period from the merge, as a correction's are from when it
 * was posted. A suspended survivor receives them as it receives the merged account's points: spending is
 * what a suspension stops. They are no activity of the guest's: staff or an upstream system merges, so the
 * inactivity clock stays where the merge left it (the later of the two accounts' last activity).
 */
export function creditMergeMilestones(
  draft: AccountDraft,
  mergedAccountId: string,
  milestones: readonly MilestoneAwardLine[],
  policy: LedgerPolicy,
): void {
  draft.assertNotClosed();
  for (const id of new Set(milestones.map((line) => line.id))) {
    const lines = milestones.filter((line) => line.id === id);
    bookEarn(draft, {
      points: lines.reduce((sum, line) => sum + line.points, 0),
      cause: { kind: 'merge', counterpartyAccountId: mergedAccountId },
      earn: { basePoints: 0, tierBonus: 0, promotions: [], milestones: lines },
      lockFrom: draft.now,
      policy,
      activity: false,
    });
  }
}

/**
 * What adds to a credited stay needs the stay credited to the account, and an active account for points: a
 * suspended one earns nothing, but takes what credits none (a charge too small to earn a point, on a stay
 * that does not earn), as it takes a refund.
 */
function requireCreditedStay(draft: AccountDraft, stayKey: string, points: number): void {
  if (points > 0) draft.assertActive();
  else draft.assertNotClosed();
  if (earnEntriesFor(draft, stayKey).length === 0) {
    throw new LedgerError(
      LedgerErrorCode.STAY_NOT_CREDITED,
      `stay ${stayKey} was never credited to ${draft.id}`,
      { stayKey },
    );
  }
}

/**
 * Appends an earn entry and its lot, pending until `lockFrom` + the lock period; pays clawback first. An
 * earn that credits points is the guest's activity (it restarts the inactivity clock) unless `activity`
 * is false.
 */
function bookEarn(
  draft: AccountDraft,
  earn: {
    /** None for the milestones a merge settles. */
    stayKey?: string;
    points: number;
    cause: EntryCause;
    earn: EarnBreakdown;
    lockFrom: Date;
    policy: LedgerPolicy;
    /** False for what no act of the guest's earned (a merge's milestones). */
    activity?: boolean;
  },
): void {
  const entry = draft.appendEntry({ type: 'earn', points: earn.points, cause: earn.cause, earn: earn.earn });
  const availableAt = addDays(earn.lockFrom, earn.policy.lockPeriodDays);
  const state = availableAt.getTime() <= draft.now.getTime() ? 'available' : 'pending';
  const expiresAt = earn.points === 0 ? null : lotExpiryFrom(earn.policy, draft.now);
  draft.emit({
    type: 'points-earned',
    stayKey: earn.stayKey,
    entryId: entry.id,
    points: earn.points,
    state,
    availableAt,
    expiresAt,
  });
  if (earn.points === 0) return;
  draft.addLot({
    sourceEntryId: entry.id,
    stayKey: earn.stayKey,
    points: earn.points,
    state,
    creditedAt: draft.now,
    availableAt,
    expiresAt,
  });
  // An earn counts as activity for inactivity expiry only when it credits points, and the guest earned it.
  if (earn.activity !== false) draft.lastActivityAt = draft.now;
  settleClawback(draft, earn.cause.sourceEventId);
}
