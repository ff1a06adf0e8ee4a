import { Instant, NonNegativeInt, Optional, Uuid } from '../../common/decorators';

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

  /**
   * Orders the balances of one account: the sequence number of the account's last ledger entry after the
   * transaction (0 before its first). Of two events naming the guest, the one with the higher sequence holds the newer balance,
   * whatever their `occurredAt` (two transactions can be booked at one instant, on two topics, and one that
   * waited for the account is booked at the time it began). Absent from events published before it was
   * added: those are ordered by `occurredAt`.
   */
  @Optional()
  @NonNegativeInt()
  balanceSequence?: number;
}
