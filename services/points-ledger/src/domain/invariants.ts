import type { AccountSnapshot } from './account-snapshot';
import { expiredUnreversedPoints, LedgerEntry, reversedBy } from './ledger-entry';
import { isLive, isUnheld, LIVE_STATES, sumPoints } from './lots';

export type InvariantCode =
  | 'INVALID_LOT'
  | 'NEGATIVE_BALANCE'
  | 'BALANCE_MISMATCH'
  | 'LOT_ENTRY_MISMATCH'
  | 'HOLD_MISMATCH'
  | 'STAY_CREDITED_TWICE'
  | 'OVER_REVERSED'
  | 'CLAWBACK_MISMATCH'
  | 'EXPIRY_COUNTED_TWICE'
  | 'DUPLICATE_ENTRY';

export interface InvariantViolation {
  readonly code: InvariantCode;
  readonly message: string;
}

type Check = (account: AccountSnapshot) => InvariantViolation[];

const violation = (code: InvariantCode, message: string): InvariantViolation => ({ code, message });

const sumOf = (entries: readonly LedgerEntry[]): number =>
  entries.reduce((sum, entry) => sum + entry.points, 0);

const lotsAreWellFormed: Check = ({ lots }) =>
  lots.flatMap((lot) => {
    const problems: InvariantViolation[] = [];
    if (!Number.isSafeInteger(lot.points) || lot.points <= 0)
      problems.push(violation('INVALID_LOT', `lot ${lot.id} has ${lot.points} points`));
    if (isLive(lot) && lot.closedByEntryId)
      problems.push(violation('INVALID_LOT', `live lot ${lot.id} names a closing entry`));
    if (!isLive(lot) && !lot.closedByEntryId)
      problems.push(violation('INVALID_LOT', `closed lot ${lot.id} names no closing entry`));
    if ((lot.state === 'held') !== (lot.holdId !== undefined))
      problems.push(violation('INVALID_LOT', `lot ${lot.id} hold id disagrees with state`));
    return problems;
  });

const balanceMatchesEntries: Check = ({ lots, entries, clawbackOwed }) => {
  const problems: InvariantViolation[] = [];
  for (const state of LIVE_STATES) {
    const points = sumPoints(lots.filter((lot) => lot.state === state));
    if (points < 0) problems.push(violation('NEGATIVE_BALANCE', `${state} balance is ${points}`));
  }
  const live = sumPoints(lots.filter(isLive));
  const recorded = sumOf(entries);
  if (live !== recorded)
    problems.push(violation('BALANCE_MISMATCH', `lots hold ${live} points, entries sum to ${recorded}`));
  if (!Number.isSafeInteger(clawbackOwed) || clawbackOwed < 0)
    problems.push(violation('NEGATIVE_BALANCE', `clawback owed is ${clawbackOwed}`));
  return problems;
};

/** Every credit is found in its lots, every debit in the lots it closed: the lots are the entries, itemised. */
const lotsTraceToEntries: Check = ({ lots, entries }) => {
  const problems: InvariantViolation[] = [];
  const ids = new Set(entries.map((entry) => entry.id));
  const bySource = group(lots, (lot) => lot.sourceEntryId);
  const byCloser = group(
    lots.filter((lot) => lot.closedByEntryId),
    (lot) => lot.closedByEntryId ?? '',
  );
  for (const entry of entries) {
    const credited = sumPoints(bySource.get(entry.id) ?? []);
    const closed = sumPoints(byCloser.get(entry.id) ?? []);
    if (credited !== Math.max(0, entry.points) || closed !== Math.max(0, -entry.points)) {
      problems.push(
        violation(
          'LOT_ENTRY_MISMATCH',
          `entry ${entry.id} (${entry.points}) has lots crediting ${credited} and closing ${closed}`,
        ),
      );
    }
  }
  for (const lot of lots) {
    if (!ids.has(lot.sourceEntryId) || (lot.closedByEntryId && !ids.has(lot.closedByEntryId))) {
      problems.push(
        violation('LOT_ENTRY_MISMATCH', `lot ${lot.id} names an entry the account does not have`),
      );
    }
  }
  return problems;
};

const holdsMatchLots: Check = ({ lots, holds }) => {
  const problems: InvariantViolation[] = [];
  const held = group(
    lots.filter((lot) => lot.state === 'held'),
    (lot) => lot.holdId ?? '',
  );
  for (const hold of holds) {
    const points = sumPoints(held.get(hold.id) ?? []);
    const expected = hold.state === 'open' ? hold.points : 0;
    if (points !== expected)
      problems.push(
        violation('HOLD_MISMATCH', `hold ${hold.id} (${hold.state}) backs ${points} of ${expected} points`),
      );
  }
  for (const holdId of held.keys()) {
    if (!holds.some((hold) => hold.id === holdId))
      problems.push(violation('HOLD_MISMATCH', `lots held for unknown hold ${holdId}`));
  }
  return problems;
};

/**
 * A stay is credited at most once per account, and at most one credit of it (merges can bring a second,
 * which is then reversed in full) still has points that are not reversed. Top-ups for revenue added
 * later earn on the same stay without crediting it again; no earn is reversed beyond its points.
 */
const staysCreditedOnce: Check = ({ entries }) => {
  const problems: InvariantViolation[] = [];
  const reversed = new Map<string, number>();
  for (const entry of entries.filter(
    (candidate) => candidate.type === 'reverse' && candidate.cause.earnEntryId,
  )) {
    const earnId = entry.cause.earnEntryId ?? '';
    reversed.set(earnId, (reversed.get(earnId) ?? 0) + reversedBy(entry));
  }
  const unreversedPoints = (earn: LedgerEntry): number => earn.points - (reversed.get(earn.id) ?? 0);
  const earns = entries.filter((entry) => entry.type === 'earn');
  const credits = group(
    earns.filter((entry) => entry.cause.kind === 'stay'),
    (entry) => entry.cause.stayKey ?? '',
  );
  for (const [stayKey, ofStay] of credits) {
    const accounts = new Set(ofStay.map((entry) => entry.accountId));
    const live = ofStay.filter((entry) => unreversedPoints(entry) > 0);
    if (accounts.size !== ofStay.length || live.length > 1) {
      problems.push(
        violation(
          'STAY_CREDITED_TWICE',
          `stay ${stayKey} is credited ${ofStay.length} times, ${live.length} unreversed`,
        ),
      );
    }
  }
  for (const earn of earns) {
    if (unreversedPoints(earn) < 0)
      problems.push(violation('OVER_REVERSED', `earn ${earn.id} reversed beyond its ${earn.points} points`));
  }
  return problems;
};

const clawbackMatchesEntries: Check = ({ entries, lots, clawbackOwed }) => {
  const problems: InvariantViolation[] = [];
  const recorded = entries.reduce((sum, entry) => sum + (entry.clawbackDelta ?? 0), 0);
  if (recorded !== clawbackOwed)
    problems.push(violation('CLAWBACK_MISMATCH', `clawback owed ${clawbackOwed}, entries say ${recorded}`));
  const unheld = sumPoints(lots.filter(isUnheld));
  if (clawbackOwed > 0 && unheld > 0)
    problems.push(
      violation('CLAWBACK_MISMATCH', `${clawbackOwed} owed while ${unheld} unheld points could pay it`),
    );
  const reversals = entries.filter((entry) => entry.type === 'reverse');
  if (reversals.some((entry) => reversedBy(entry) < 0))
    problems.push(violation('CLAWBACK_MISMATCH', 'a reversal credits points'));
  return problems;
};

/** Reversals count as already expired no more of an earn's points than its lots lost to expiry. */
const expiryCountedOnce: Check = ({ entries, lots }) =>
  entries
    .filter((entry) => entry.type === 'earn' && expiredUnreversedPoints(entry, lots, entries) < 0)
    .map((earn) =>
      violation('EXPIRY_COUNTED_TWICE', `reversals of ${earn.id} count more points as expired than expired`),
    );

const entriesAreUnique: Check = ({ entries }) =>
  new Set(entries.map((entry) => entry.id)).size === entries.length
    ? []
    : [violation('DUPLICATE_ENTRY', 'two entries share an id')];

const CHECKS: readonly Check[] = [
  lotsAreWellFormed,
  balanceMatchesEntries,
  lotsTraceToEntries,
  holdsMatchLots,
  staysCreditedOnce,
  clawbackMatchesEntries,
  expiryCountedOnce,
  entriesAreUnique,
];

/** Every broken invariant of the account; empty when it is consistent (ReconciliationService checks the stored accounts in SQL). */
export function checkInvariants(
  account: AccountSnapshot | { toSnapshot(): AccountSnapshot },
): InvariantViolation[] {
  const snapshot = 'toSnapshot' in account ? account.toSnapshot() : account;
  return CHECKS.flatMap((check) => check(snapshot));
}

function group<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
