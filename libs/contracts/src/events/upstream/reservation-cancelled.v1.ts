import { Instant, OneOf, Optional } from '../../common/decorators';
import { ReservationFields } from '../../common/stay.fields';

export const CANCELLATION_REASONS = [
  'guest-request',
  'no-show',
  'payment-failed',
  'property',
  'duplicate',
  'other',
] as const;

/** A reservation was cancelled before the stay. */
export class ReservationCancelledV1 extends ReservationFields {
  /** When the reservation was cancelled. */
  @Instant()
  cancelledAt: string;

  /** Why, when the system records it. */
  @Optional()
  @OneOf(CANCELLATION_REASONS)
  reason?: (typeof CANCELLATION_REASONS)[number];
}
