import type { AccountDraft } from './account-draft';
import type { AdjustmentRequest } from './adjustment';
import { assertPositivePoints, LedgerError, LedgerErrorCode } from './ledger-error';
import { inState, sumPoints, type Lot } from './lots';
import { settleClawback } from './reversal';

/** The staff member who moves the points: both sides' entries name them, as an adjustment's does. */
export type TransferStaff = Pick<AdjustmentRequest, 'staffId' | 'role'>;

/**
 * What leaves one account and must arrive at the other. The lots carry their expiry dates across, so
 * passing points back and forth between members cannot reset their expiry.
 */
export interface PointsTransfer {
  readonly transferId: string;
  readonly fromAccountId: string;
  readonly toAccountId: string;
  readonly points: number;
  readonly by: TransferStaff;
  readonly lots: readonly { readonly points: number; readonly expiresAt: Date | null }[];
}

const isOverdue = (lot: Lot, now: Date): boolean =>
  lot.expiresAt !== null && lot.expiresAt.getTime() <= now.getTime();

const isTransferEntry = (transferId: string, sign: 1 | -1) => (entry: AccountDraft['entries'][number]) =>
  entry.type === 'transfer' && entry.cause.transferId === transferId && Math.sign(entry.points) === sign;

export function transferOut(
  draft: AccountDraft,
  points: number,
  transferId: string,
  toAccountId: string,
  by: TransferStaff,
): PointsTransfer {
  assertPositivePoints(points);
  draft.assertActive();
  if (toAccountId === draft.id) {
    throw new LedgerError(LedgerErrorCode.SELF_TRANSFER, 'cannot transfer points to the same account');
  }
  if (draft.entries.some(isTransferEntry(transferId, -1))) {
    throw new LedgerError(LedgerErrorCode.INVALID_ARGUMENT, `transfer ${transferId} was already sent`, {
      transferId,
    });
  }
  draft.promoteMaturedLots();
  draft.requireAvailable(points);
  const entryId = draft.peekEntryId();
  const consumed = (portion: Lot) => inState(portion, 'consumed', { closedByEntryId: entryId });
  // Lots past their expiry that the sender's tier keeps alive would expire at a receiver without it: they
  // go only when the sender has no others to give.
  const current = draft.take(
    points,
    (lot) => lot.state === 'available' && !isOverdue(lot, draft.now),
    consumed,
  );
  const overdue = draft.take(points - sumPoints(current), (lot) => lot.state === 'available', consumed);
  const taken = [...current, ...overdue];
  draft.appendEntry({
    type: 'transfer',
    points: -points,
    cause: { kind: 'transfer', transferId, counterpartyAccountId: toAccountId, ...by },
  });
  draft.emit({ type: 'points-transferred-out', entryId, transferId, toAccountId, points });
  return {
    transferId,
    fromAccountId: draft.id,
    toAccountId,
    points,
    by,
    lots: taken.map((lot) => ({ points: lot.points, expiresAt: lot.expiresAt })),
  };
}

/**
 * Receives a transfer once; a re-delivered transfer is acknowledged and ignored. Receiving counts as
 * activity, so inactivity expiry does not take the points the day after they arrive.
 */
export function transferIn(draft: AccountDraft, transfer: PointsTransfer): void {
  draft.assertActive();
  const lotsTotal = transfer.lots.reduce((sum, lot) => sum + lot.points, 0);
  if (
    transfer.toAccountId !== draft.id ||
    transfer.fromAccountId === draft.id ||
    lotsTotal !== transfer.points
  ) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_ARGUMENT,
      `transfer ${transfer.transferId} is not addressed to ${draft.id} or does not add up`,
    );
  }
  assertPositivePoints(transfer.points);
  transfer.lots.forEach((lot) => assertPositivePoints(lot.points, 'transferred lot points'));
  if (draft.entries.some(isTransferEntry(transfer.transferId, 1))) {
    draft.emit({ type: 'transfer-already-received', transferId: transfer.transferId });
    return;
  }
  const entry = draft.appendEntry({
    type: 'transfer',
    points: transfer.points,
    cause: {
      kind: 'transfer',
      transferId: transfer.transferId,
      counterpartyAccountId: transfer.fromAccountId,
      ...transfer.by,
    },
  });
  for (const lot of transfer.lots) {
    draft.addLot({
      sourceEntryId: entry.id,
      points: lot.points,
      state: 'available',
      creditedAt: draft.now,
      availableAt: draft.now,
      expiresAt: lot.expiresAt,
    });
  }
  draft.lastActivityAt = draft.now;
  draft.emit({
    type: 'points-transferred-in',
    entryId: entry.id,
    transferId: transfer.transferId,
    fromAccountId: transfer.fromAccountId,
    points: transfer.points,
  });
  settleClawback(draft);
}
