import { Bool, Instant, Text } from '../../common/decorators';
import { ComplaintFields } from './complaint.fields';

/** Staff acknowledged the complaint to the guest. */
export class ComplaintAcknowledgedV1 extends ComplaintFields {
  /** When the guest was told the complaint is being handled. */
  @Instant()
  acknowledgedAt: string;

  /** Opaque id of the staff member. */
  @Text(100)
  acknowledgedBy: string;

  /** Whether it was acknowledged before the SLA's `acknowledgeBy`. */
  @Bool()
  withinSla: boolean;
}
