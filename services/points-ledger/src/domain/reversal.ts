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

// The clawback rule. A refund takes back the revenue points of the stay's earn entries that the refunded
// revenue stands for, newest entry first (`reverseStay`). Those of an entry's points that expired count
// first: the guest lost them at expiry, so they are not taken again. The rest are taken, in this order,
// from (1) the entry's own lots still unspent, (2) any other unheld lots, available before pending, soonest
// expiry first: points are fungible, so a guest who spent "these" points still holds equivalent ones.
// Held lots are never touched, so a redemption in progress cannot fail half-way. Whatever is still
// missing becomes clawback owed: the balance never goes negative, and every later credit (earn, positive
// adjustment, transfer in, merge, a released hold) pays the debt off first. Clawback is therefore only
// ever owed while the account has no unheld points.

export function earnEntriesFor(draft: AccountDraft, stayKey: string): LedgerEntry[] {
  return draft.entries.filter((entry) => entry.type === 'earn' && entry.cause.stayKey === stayKey);
}

/**
 * A refund of a stay, `part / whole` with 0 < part ≤ whole: the qualifying revenue refunded and the
 * qualifying revenue the stay still had (above zero), in the property's minor units. Kept as integers, not
 * as their quotient, so an exact half stays a half (650 × 0.35 in floating point is 227.49999999999997,
 * not 227.5).
 */
export interface RefundShare {
  readonly part: number;
  readonly whole: number;
}

/** What a refund takes from one earn entry: revenue points, and (for a top-up) the revenue behind them. */
interface Take {
  readonly earn: LedgerEntry;
  /** The entry's revenue points left before the refund. */
  readonly remaining: number;
  readonly points: number;
  /** The top-up's revenue taken, recorded on the reversal; none for the stay's own credit. */
  readonly stayRevenueMinor?: number;
}

/**
 * Takes back the revenue points the refunded revenue stands for, last in, first out. `share.part` is the
 * revenue refunded, `share.whole` what the stay had above zero before it (property minor units). The
 * refund goes to the stay's newest top-up first (revenue added later, earned at the tier of its day), as
 * much as that top-up has left of the revenue it earned on, then to the next older, and the stay's own
 * credit last. Each entry gives back, of the base points and tier bonus it has left, the share of its own
 * remaining revenue that the refund takes from it, rounded half-up (all of them when it takes all that
 * revenue), and takes its qualifying base points off the year in step. So a charge and then its void leave
 * the stay's points as they were, to the point, whatever tier each was earned at, and revenue of the stay's
 * own is refunded at the stay's own rate; a refund and then the same charge posted again can leave them a
 * point apart at one tier (the charge earns at its day's tier, rounded down). The event does not say which
 * charge a refund voids: the newest goes first.
 *
 * A top-up records the revenue it earned on (`earn.stayRevenueMinor`) and each refund's reversal of it the
 * revenue it took (`cause.stayRevenueMinor`); the stay's own credit has what the stay has beyond what its
 * top-ups have left. A refund of all the stay has left (`part = whole`) takes every revenue point of every
 * entry, so repeated partial refunds add up exactly once the stay is refunded whole (and a top-up's once
 * all its revenue is). A refund's part of a top-up that rounds to no point writes no reversal, so it is not
 * recorded: the top-up keeps that revenue (less than half a point's worth), the stay's own credit has as
 * much less.
 *
 * A stay with a top-up with points left that was booked before top-ups recorded their revenue, or that a
 * refund took from without recording it (a pod of the earlier release), keeps the earlier rule, which needs
 * no revenue per entry: every entry gives back `part / whole` of what it has left, whatever tier it was
 * earned at. Nothing stored is rewritten.
 *
 * Promotion and milestone points stay, as a top-up never pays them again. The caller measures the refund
 * against the qualifying revenue the stay still has, refunds already deducted.
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
  const takes = lastInFirstOut(earns, draft.entries, share) ?? inProportion(earns, draft.entries, share);
  for (const { earn, remaining, points, stayRevenueMinor } of takes) {
    if (points === 0) continue;
    // The base points left before less those left after, rather than rounding a share of them: repeated
    // partial refunds then add up to exactly the entry's base points once all of its revenue points are back.
    const qualifyingBasePointsReversed =
      unreversedBasePoints(earn, remaining) - unreversedBasePoints(earn, remaining - points);
    reverseEarn(
      draft,
      earn,
      points,
      {
        kind: 'stay-adjustment',
        stayKey,
        earnEntryId: earn.id,
        sourceEventId,
        ...(stayRevenueMinor === undefined ? {} : { stayRevenueMinor }),
      },
      qualifyingBasePointsReversed,
    );
  }
}

/**
 * The refund taken newest entry first (see `reverseStay`), of the entries with revenue points left (after a
 * merge a stay may also have a fully reversed duplicate earn entry: it has nothing left). Undefined when one
 * of its top-ups with points left does not record its revenue or what a refund took from it, or more than
 * one credit of the stay has points left.
 */
function lastInFirstOut(
  earns: readonly LedgerEntry[],
  entries: readonly LedgerEntry[],
  share: RefundShare,
): Take[] | undefined {
  const live = earns
    .map((earn, index) => ({ earn, index, remaining: unreversedRevenuePoints(earn, entries) }))
    .filter(({ remaining }) => remaining > 0);
  const own = live.filter(({ earn }) => earn.cause.kind === 'stay');
  if (own.length > 1) return undefined;
  const topUps: { earn: LedgerEntry; index: number; remaining: number; has: number }[] = [];
  for (const entry of live) {
    if (entry.earn.cause.kind === 'stay') continue;
    const has = topUpRevenueLeft(entry.earn, entries);
    if (has === undefined) return undefined;
    topUps.push({ ...entry, has });
  }
  // Newest first: by when the ledger booked them, then by their order in the account.
  topUps.sort((a, b) => b.earn.occurredAt.getTime() - a.earn.occurredAt.getTime() || b.index - a.index);
  // A refund of all the stay has takes all of every entry, whatever its revenue left adds up to.
  const all = share.part === share.whole;
  let refund = share.part;
  /** What the refund takes from an entry with `remaining` revenue points and `has` revenue left. */
  const take = (remaining: number, has: number): { taken: number; points: number } => {
    const taken = Math.max(0, all ? has : Math.min(refund, has));
    refund -= taken;
    if (all) return { taken, points: remaining };
    return { taken, points: taken === 0 ? 0 : sharePoints(remaining, { part: taken, whole: has }) };
  };
  const takes: Take[] = topUps.map(({ earn, remaining, has }) => {
    const { taken, points } = take(remaining, has);
    return { earn, remaining, points, stayRevenueMinor: taken };
  });
  if (own.length === 1) {
    const [{ earn, remaining }] = own;
    // The stay's own revenue: what it has beyond what its top-ups have left.
    const has = share.whole - topUps.reduce((sum, topUp) => sum + topUp.has, 0);
    takes.push({ earn, remaining, points: take(remaining, has).points });
  }
  return takes;
}

/**
 * What a top-up has left of the revenue it earned on: its revenue less what refunds took from it;
 * undefined when it does not record its revenue, or a refund that took from it did not record how much.
 */
function topUpRevenueLeft(topUp: LedgerEntry, entries: readonly LedgerEntry[]): number | undefined {
  const revenue = topUp.earn?.stayRevenueMinor;
  if (revenue === undefined) return undefined;
  let left = revenue;
  for (const entry of entries) {
    if (entry.type !== 'reverse' || entry.cause.earnEntryId !== topUp.id) continue;
    if (entry.cause.kind !== 'stay-adjustment') continue;
    if (entry.cause.stayRevenueMinor === undefined) return undefined;
    left -= entry.cause.stayRevenueMinor;
  }
  return Math.max(0, left);
}

/** The earlier rule: every entry gives back `share` of the revenue points it has left. */
function inProportion(
  earns: readonly LedgerEntry[],
  entries: readonly LedgerEntry[],
  share: RefundShare,
): Take[] {
  return earns.flatMap((earn) => {
    const remaining = unreversedRevenuePoints(earn, entries);
    return remaining <= 0 ? [] : [{ earn, remaining, points: sharePoints(remaining, share) }];
  });
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
