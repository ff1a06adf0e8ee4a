import { Instant, PositiveInt, Text, Uuid } from '../../common/decorators';
import { ComplaintFields } from './complaint.fields';

/** Points granted to a guest to make up for a complaint; points-ledger credits them. */
export class CompensationGrantedV1 extends ComplaintFields {
  /** Unique per grant: points-ledger credits each compensation once. */
  @Uuid()
  compensationId: string;

  /** Points to credit to the guest. */
  @PositiveInt()
  points: number;

  /** Opaque id of the manager who approved it. */
  @Text(100)
  approvedBy: string;

  /** When the compensation was approved. */
  @Instant()
  grantedAt: string;
}
