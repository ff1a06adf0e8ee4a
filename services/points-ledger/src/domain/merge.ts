import type { AccountDraft } from './account-draft';
import { AccountSnapshot, balancesOf } from './account-snapshot';
import { latest } from './calendar';
import { LedgerError, LedgerErrorCode } from './ledger-error';
import { unreversedBasePoints, unreversedPoints, unreversedRevenuePoints } from './ledger-entry';
import { reverseEarn, settleClawback } from './reversal';

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

  for (const earn of source.entries.filter(
    (entry) => entry.type === 'earn' && creditedHere.has(entry.cause.stayKey),
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
