import type { AccountDraft } from './account-draft';
import type { Hold, StaffAtProperty } from './account-snapshot';
import { addMinutes } from './calendar';
import { assertPositivePoints, holdNotFound, LedgerError, LedgerErrorCode } from './ledger-error';
import type { RedeemedReward } from './ledger-entry';
import { inState, sumPoints } from './lots';
import { settleClawback } from './reversal';

// Redemption is two-phase so a reward partner can fail without the guest losing points: hold (points set
// aside, expiring soonest first), then confirm (a redeem entry) or release. A hold nobody settles goes back
// after its TTL via `expireHolds`. Holds move no points, so they write no entry; only the confirmation does.
// Who placed a hold and who settled it, and where, are kept on the hold itself for that reason.

/** Who confirmed a hold, for which reward and where: kept on the redeem entry, as adjustments keep theirs. */
export interface RedemptionAudit extends StaffAtProperty {
  readonly reward: RedeemedReward;
}

export function placeHold(
  draft: AccountDraft,
  points: number,
  holdId: string,
  ttlMinutes: number,
  placedBy?: StaffAtProperty,
): Hold {
  assertPositivePoints(points);
  assertPositivePoints(ttlMinutes, 'hold TTL minutes');
  draft.assertActive();
  if (draft.holds.some((hold) => hold.id === holdId)) {
    throw new LedgerError(LedgerErrorCode.DUPLICATE_HOLD, `hold ${holdId} already exists`, { holdId });
  }
  draft.promoteMaturedLots();
  draft.requireAvailable(points);
  draft.take(
    points,
    (lot) => lot.state === 'available',
    (portion) => inState(portion, 'held', { holdId }),
  );
  const hold: Hold = {
    id: holdId,
    points,
    createdAt: draft.now,
    expiresAt: addMinutes(draft.now, ttlMinutes),
    state: 'open',
    ...(placedBy ? { placedBy } : {}),
  };
  draft.holds.push(hold);
  draft.emit({ type: 'points-held', holdId, points, expiresAt: hold.expiresAt });
  return hold;
}

function openHold(draft: AccountDraft, holdId: string): Hold {
  const hold = draft.holds.find((candidate) => candidate.id === holdId);
  if (!hold) throw holdNotFound(holdId);
  if (hold.state !== 'open') {
    throw new LedgerError(LedgerErrorCode.HOLD_NOT_OPEN, `hold ${holdId} is already ${hold.state}`, {
      holdId,
      state: hold.state,
    });
  }
  return hold;
}

function settle(draft: AccountDraft, hold: Hold, state: Hold['state'], settledBy?: StaffAtProperty): void {
  draft.holds = draft.holds.map((candidate) =>
    candidate === hold
      ? { ...hold, state, settledAt: draft.now, ...(settledBy ? { settledBy } : {}) }
      : candidate,
  );
}

export function confirmHold(
  draft: AccountDraft,
  holdId: string,
  redemptionId?: string,
  audit?: RedemptionAudit,
): void {
  draft.assertActive();
  const hold = openHold(draft, holdId);
  if (draft.now.getTime() >= hold.expiresAt.getTime()) {
    throw new LedgerError(
      LedgerErrorCode.HOLD_EXPIRED,
      `hold ${holdId} expired at ${hold.expiresAt.toISOString()}`,
      { holdId },
    );
  }
  const entryId = draft.peekEntryId();
  draft.take(
    hold.points,
    (lot) => lot.state === 'held' && lot.holdId === holdId,
    (portion) => inState(portion, 'consumed', { closedByEntryId: entryId }),
  );
  draft.appendEntry({
    type: 'redeem',
    points: -hold.points,
    cause: { kind: 'redemption', holdId, ...(redemptionId ? { redemptionId } : {}), ...audit },
  });
  settle(
    draft,
    hold,
    'confirmed',
    audit && { staffId: audit.staffId, role: audit.role, propertyId: audit.propertyId },
  );
  draft.lastActivityAt = draft.now;
  draft.emit({
    type: 'points-redeemed',
    entryId,
    points: hold.points,
    holdId,
    ...(redemptionId ? { redemptionId } : {}),
  });
}

function letGo(
  draft: AccountDraft,
  hold: Hold,
  reason: 'released' | 'expired',
  settledBy?: StaffAtProperty,
): void {
  const lots = draft.take(
    hold.points,
    (lot) => lot.state === 'held' && lot.holdId === hold.id,
    (portion) => inState(portion, 'available'),
  );
  settle(draft, hold, reason, settledBy);
  draft.emit({ type: 'hold-released', holdId: hold.id, points: sumPoints(lots), reason });
}

/** Gives held points back; allowed on a suspended account, since it only returns what was set aside. */
export function releaseHold(draft: AccountDraft, holdId: string, releasedBy?: StaffAtProperty): void {
  draft.assertNotClosed();
  letGo(draft, openHold(draft, holdId), 'released', releasedBy);
  settleClawback(draft);
}

export function expireHolds(draft: AccountDraft): void {
  const due = draft.holds.filter(
    (hold) => hold.state === 'open' && hold.expiresAt.getTime() <= draft.now.getTime(),
  );
  for (const hold of due) letGo(draft, hold, 'expired');
  if (due.length > 0) settleClawback(draft);
}

/** A one-step redemption (hold and confirm at once), for rewards that cannot fail after the debit. */
export function redeemPoints(draft: AccountDraft, points: number, redemptionId: string): void {
  assertPositivePoints(points);
  draft.assertActive();
  draft.promoteMaturedLots();
  draft.requireAvailable(points);
  const entryId = draft.peekEntryId();
  draft.take(
    points,
    (lot) => lot.state === 'available',
    (portion) => inState(portion, 'consumed', { closedByEntryId: entryId }),
  );
  draft.appendEntry({ type: 'redeem', points: -points, cause: { kind: 'redemption', redemptionId } });
  draft.lastActivityAt = draft.now;
  draft.emit({ type: 'points-redeemed', entryId, points, redemptionId });
}
