import type { AccountDraft } from './account-draft';
import { divideRounded, toSafeInteger } from './decimal';
import { LedgerError, LedgerErrorCode } from './ledger-error';
import {
  EntryCause,
  expiredUnreversedPoints,
  LedgerEntry,
  unreversedBasePoints,
  unreversedRevenuePoints,
} from './ledger-entry';
import { inState, isUnheld, Lot, sumPoints } from './lots';

// The clawback rule. A refund reverses the stay's revenue points in proportion. Those of the stay's points
// that expired count first: the guest lost them at expiry, so they are not taken again. The rest are taken,
// in this order, from (1) the stay's own lots still unspent, (2) any other unheld lots, available before
// pending, soonest expiry first: points are fungible, so a guest who spent "these" points still holds
// equivalent ones.
// Held lots are never touched, so a redemption in progress cannot fail half-way. Whatever is still
// missing becomes clawback owed: the balance never goes negative, and every later credit (earn, positive
// adjustment, transfer in, merge, a released hold) pays the debt off first. Clawback is therefore only
// ever owed while the account has no unheld points.

export function earnEntriesFor(draft: AccountDraft, stayKey: string): LedgerEntry[] {
  return draft.entries.filter((entry) => entry.type === 'earn' && entry.cause.stayKey === stayKey);
}

/**
 * The refunded share of what a stay has left, `part / whole` with 0 < part ≤ whole: the revenue refunded
 * and the qualifying revenue the stay still had, in minor units. Kept as integers, not as their quotient,
 * so an exact half stays a half (650 × 0.35 in floating point is 227.49999999999997, not 227.5).
 */
export interface RefundShare {
  readonly part: number;
  readonly whole: number;
}

/**
 * Reverses `share` of the revenue points the stay has left: of what each of its earn entries (the stay's
 * own and any top-ups for revenue added later) has not yet given back of its base points and tier bonus,
 * rounded half-up. Promotion and milestone points stay, as a top-up never pays them again: a refund and a
 * charge of the same amount then leave the stay's points as they were, in either order, when both were
 * posted at one tier (every entry gives back the same share, whatever its rate). The caller
 * measures the share against the qualifying revenue the stay still has, refunds already deducted.
 */
export function reverseStay(
  draft: AccountDraft,
  stayKey: string,
  share: RefundShare,
  sourceEventId: string,
): void {
  draft.assertNotClosed();
  assertRefundShare(share);
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
    const remaining = unreversedRevenuePoints(earn, draft.entries);
    if (remaining <= 0) continue;
    const points = sharePoints(remaining, share);
    if (points === 0) continue;
    // The base points left before less those left after, rather than rounding a share of them: repeated
    // partial refunds then add up to exactly the entry's base points once all of its revenue points are back.
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

function assertRefundShare({ part, whole }: RefundShare): void {
  if (!Number.isSafeInteger(part) || !Number.isSafeInteger(whole) || part <= 0 || part > whole) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_ARGUMENT,
      `a refund share must be whole numbers with 0 < part ≤ whole, got ${part}/${whole}`,
    );
  }
}

/** `points × part / whole`, rounded half-up exactly. */
function sharePoints(points: number, { part, whole }: RefundShare): number {
  return toSafeInteger(divideRounded(BigInt(points) * BigInt(part), BigInt(whole), 'half-up'));
}

/**
 * Takes back `points` of an earn entry by the clawback rule: its expired points not yet counted first, then
 * its own unheld lots, other unheld lots, and clawback owed for the rest.
 */
export function reverseEarn(
  draft: AccountDraft,
  earn: LedgerEntry,
  points: number,
  cause: EntryCause,
  qualifyingBasePointsReversed: number,
): void {
  const entryId = draft.peekEntryId();
  const alreadyExpired = Math.min(points, expiredUnreversedPoints(earn, draft.lots, draft.entries));
  const toTake = points - alreadyExpired;
  const close = (portion: Lot): Lot => inState(portion, 'consumed', { closedByEntryId: entryId });
  const own = draft.take(toTake, (lot) => isUnheld(lot) && lot.sourceEntryId === earn.id, close);
  const others = draft.take(toTake - sumPoints(own), isUnheld, close);
  const debited = sumPoints(own) + sumPoints(others);
  const clawbackCreated = toTake - debited;
  draft.appendEntry({
    type: 'reverse',
    points: 0 - debited,
    cause,
    ...(clawbackCreated > 0 ? { clawbackDelta: clawbackCreated } : {}),
    ...(alreadyExpired > 0 ? { alreadyExpired } : {}),
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
