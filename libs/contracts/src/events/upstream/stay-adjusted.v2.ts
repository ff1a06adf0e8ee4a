import { IntBetween, Optional } from '../../common/decorators';
import { StayAdjustedV1 } from './stay-adjusted.v1';

/** The most nights an adjustment may set a stay to. */
export const MAX_ADJUSTED_NIGHTS = 366;

/**
 * v2 adds `nights`, for an adjustment that changes the nights stayed as well as the revenue (a guest who
 * left a night early, a night moved to another reservation). Every v1 payload is a valid v2 payload.
 */
export class StayAdjustedV2 extends StayAdjustedV1 {
  /**
   * The stay's nights after this adjustment; absent when it leaves them as they were. At most a year's:
   * they replace the stay's qualifying nights, which pay milestones and tiers, so a count of room-nights
   * for a group, or a typo, would otherwise pay hundreds of awards at once.
   */
  @Optional()
  @IntBetween(0, MAX_ADJUSTED_NIGHTS)
  nights?: number;
}
