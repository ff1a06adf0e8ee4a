import { Identifier, Instant, Nested, OneOf } from '../../common/decorators';
import { RevenueChangeDto } from '../../common/revenue.dto';
import { ReservationFields } from '../../common/stay.fields';

export const STAY_ADJUSTMENT_REASONS = ['refund', 'correction', 'late-charge'] as const;

/** Revenue of a completed stay changed after check-out. */
export class StayAdjustedV1 extends ReservationFields {
  /** The adjustment's id in the property system; one adjustment is applied once. */
  @Identifier()
  adjustmentId: string;

  /** The change per revenue line, signed: a refund is negative. Same currency as the stay's revenue. */
  @Nested(() => RevenueChangeDto)
  revenueDelta: RevenueChangeDto;

  /** Why the revenue changed. */
  @OneOf(STAY_ADJUSTMENT_REASONS)
  reason: (typeof STAY_ADJUSTMENT_REASONS)[number];

  /** When the adjustment was posted. */
  @Instant()
  adjustedAt: string;
}
