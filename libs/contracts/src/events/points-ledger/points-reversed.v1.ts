import { NonZeroInt, OneOf, Uuid } from '../../common/decorators';
import { LedgerEntryFields } from './ledger-entry.fields';

export const REVERSAL_REASONS = [
  'stay-cancelled',
  'stay-adjusted',
  'redemption-cancelled',
  'guest-merged',
  'fraud',
  'error',
] as const;

/** An earlier transaction was undone, wholly or partly. */
export class PointsReversedV1 extends LedgerEntryFields {
  /** The transaction being reversed. */
  @Uuid()
  reversedTransactionId: string;

  /** Signed change of the balance: negative when an earning is reversed, positive for a redemption. */
  @NonZeroInt()
  pointsDelta: number;

  /** Why the transaction was reversed. */
  @OneOf(REVERSAL_REASONS)
  reason: (typeof REVERSAL_REASONS)[number];
}
