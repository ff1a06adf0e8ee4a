import { Instant, NonNegativeInt, Uuid } from '../../common/decorators';

/** Fields of every event that records a ledger transaction. */
export abstract class LedgerEntryFields {
  /** The guest whose balance changed. */
  @Uuid()
  guestId: string;

  /** The ledger transaction this event records; unique per ledger entry. */
  @Uuid()
  transactionId: string;

  /** The guest's points balance after the transaction. */
  @NonNegativeInt()
  balanceAfter: number;

  /** When the transaction was booked in the ledger. */
  @Instant()
  occurredAt: string;
}
