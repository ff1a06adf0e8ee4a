import { NonNegativeInt, Optional } from '../../common/decorators';
import { StayAdjustedV1 } from './stay-adjusted.v1';

/**
 * v2 adds `nights`, for an adjustment that changes the nights stayed as well as the revenue (a guest who
 * left a night early, a night moved to another reservation). Every v1 payload is a valid v2 payload.
 */
export class StayAdjustedV2 extends StayAdjustedV1 {
  /** The stay's nights after this adjustment; absent when it leaves them as they were. */
  @Optional()
  @NonNegativeInt()
  nights?: number;
}
