import type { AccountDraft } from './account-draft';
import { addDays, addMonths } from './calendar';
import type { EarnResult } from './earning';
import type { LedgerPolicy } from './program-rules';
import { settleClawback } from './reversal';

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
  const entry = draft.appendEntry({
    type: 'earn',
    points: result.total,
    cause: { kind: 'stay', stayKey: result.stayKey, sourceEventId },
    earn: {
      basePoints: result.basePoints,
      tierBonus: result.tierBonus,
      promotions: result.promotions,
      milestones: result.milestones,
    },
  });
  const availableAt = addDays(result.checkedOutAt, policy.lockPeriodDays);
  const state = availableAt.getTime() <= draft.now.getTime() ? 'available' : 'pending';
  draft.emit({
    type: 'points-earned',
    stayKey: result.stayKey,
    entryId: entry.id,
    points: result.total,
    state,
    availableAt,
  });
  if (result.total === 0) return;
  draft.addLot({
    sourceEntryId: entry.id,
    stayKey: result.stayKey,
    points: result.total,
    state,
    creditedAt: draft.now,
    availableAt,
    expiresAt: lotExpiryFrom(policy, draft.now),
  });
  // Only an earn that credits points counts as activity for inactivity expiry.
  draft.lastActivityAt = draft.now;
  settleClawback(draft, sourceEventId);
}
