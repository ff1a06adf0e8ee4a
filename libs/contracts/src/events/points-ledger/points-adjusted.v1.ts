import { NonZeroInt, Text } from '../../common/decorators';
import { LedgerEntryFields } from './ledger-entry.fields';

/** A manual correction of a guest's balance by staff. */
export class PointsAdjustedV1 extends LedgerEntryFields {
  /** Signed change of the balance. */
  @NonZeroInt()
  pointsDelta: number;

  /** Why; shown to the guest in their statement, so no personal data. */
  @Text(500)
  reason: string;

  /** Opaque id of the staff member who made the adjustment. */
  @Text(100)
  adjustedBy: string;
}
