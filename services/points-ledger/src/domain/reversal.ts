import type { AccountDraft } from './account-draft';
import { LedgerError, LedgerErrorCode } from './ledger-error';
import { EntryCause, LedgerEntry, unreversedBasePoints, unreversedPoints } from './ledger-entry';
import { inState, isUnheld, Lot, sumPoints } from './lots';

// The clawback rule. A refund reverses the stay's points in proportion. They are taken, in this order,
// from (1) the stay's own lots still unspent, (2) any other unheld lots, available before pending, soonest
// expiry first: points are fungible, so a guest who spent "these" points still holds equivalent ones.
// Held lots are never touched, so a redemption in progress cannot fail half-way. Whatever is still
// missing becomes clawback owed: the balance never goes negative, and every later credit (earn, positive
// adjustment, transfer in, merge, a released hold) pays the debt off first. Clawback is therefore only
// ever owed while the account has no unheld points.

export function earnEntriesFor(draft: AccountDraft, stayKey: string): LedgerEntry[] {
  return draft.entries.filter((entry) => entry.type === 'earn' && entry.cause.stayKey === stayKey);
}

/**
 * Reverses `proportion` (0 < p ≤ 1) of what the stay has left: of what each of its earn entries (the
 * stay's own and any top-ups for revenue added later) has not yet given back, rounded half-up. The caller
 * measures the proportion against the qualifying revenue the stay still has, refunds already deducted.
 */
export function reverseStay(
  draft: AccountDraft,
  stayKey: string,
  proportion: number,
  sourceEventId: string,
): void {
  draft.assertNotClosed();
  if (!Number.isFinite(proportion) || proportion <= 0 || proportion > 1) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_ARGUMENT,
      `proportion must be in (0, 1], got ${proportion}`,
    );
  }
  const earns = earnEntriesFor(draft, stayKey);
  if (earns.length === 0) {
    throw new LedgerError(
      LedgerErrorCode.STAY_NOT_CREDITED,
      `stay ${stayKey} was never credited to ${draft.id}`,
      { stayKey },
    );
  }
  // After a merge a stay may also have a fully reversed duplicate earn entry: it has nothing left.
  for (const earn of earns) {
    const remaining = unreversedPoints(earn, draft.entries);
    const points = Math.round(remaining * proportion);
    if (points <= 0) continue;
    // The base points left before less those left after, rather than rounding a share of them: repeated
    // partial refunds then add up to exactly the entry's base points once all of its points are back.
    const qualifyingBasePointsReversed =
      unreversedBasePoints(earn, remaining) - unreversedBasePoints(earn, remaining - points);
    reverseEarn(
      draft,
      earn,
      points,
      { kind: 'stay-adjustment', stayKey, earnEntryId: earn.id, sourceEventId },
      qualifyingBasePointsReversed,
    );
  }
}

export function reverseEarn(
  draft: AccountDraft,
  earn: LedgerEntry,
  points: number,
  cause: EntryCause,
  qualifyingBasePointsReversed: number,
): void {
  const entryId = draft.peekEntryId();
  const close = (portion: Lot): Lot => inState(portion, 'consumed', { closedByEntryId: entryId });
  const own = draft.take(points, (lot) => isUnheld(lot) && lot.sourceEntryId === earn.id, close);
  const others = draft.take(points - sumPoints(own), isUnheld, close);
  const debited = sumPoints(own) + sumPoints(others);
  const clawbackCreated = points - debited;
  draft.appendEntry({
    type: 'reverse',
    points: 0 - debited,
    cause,
    ...(clawbackCreated > 0 ? { clawbackDelta: clawbackCreated } : {}),
  });
  draft.clawbackOwed += clawbackCreated;
  draft.emit({
    type: 'points-reversed',
    stayKey: earn.cause.stayKey ?? '',
    entryId,
    reversed: points,
    debited,
    clawbackCreated,
    qualifyingBasePointsReversed,
  });
}

/** Pays clawback owed from whatever unheld points the account now has. */
export function settleClawback(draft: AccountDraft, sourceEventId?: string): void {
  if (draft.clawbackOwed === 0) return;
  const entryId = draft.peekEntryId();
  const taken = draft.take(draft.clawbackOwed, isUnheld, (portion) =>
    inState(portion, 'consumed', { closedByEntryId: entryId }),
  );
  const points = sumPoints(taken);
  if (points === 0) return;
  draft.appendEntry({
    type: 'reverse',
    points: -points,
    clawbackDelta: -points,
    cause: { kind: 'clawback-settlement', ...(sourceEventId ? { sourceEventId } : {}) },
  });
  draft.clawbackOwed -= points;
  draft.emit({ type: 'clawback-settled', entryId, points, remainingOwed: draft.clawbackOwed });
}
