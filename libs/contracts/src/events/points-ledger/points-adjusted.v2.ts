import { Nested, Optional, Uuid } from '../../common/decorators';
import { PointsAdjustedV1 } from './points-adjusted.v1';

/** The other side of a transfer of points between two members. */
export class PointsTransferDto {
  /** The transfer; both sides' events carry the same id. */
  @Uuid()
  transferId: string;

  /** The member the points went to (on the sender's event) or came from (on the receiver's). */
  @Uuid()
  counterpartyGuestId: string;
}

/**
 * v2 adds `transfer`: a transfer between members is announced as an adjustment on each side, the sender's
 * negative and the receiver's positive. Every v1 payload is a valid v2 payload.
 */
export class PointsAdjustedV2 extends PointsAdjustedV1 {
  /** Set when the adjustment is one side of a transfer between members. */
  @Optional()
  @Nested(() => PointsTransferDto)
  transfer?: PointsTransferDto;
}
