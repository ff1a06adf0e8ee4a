import { IntBetween, OneOf } from '../../common/decorators';
import { STAY_DIMENSIONS, type StayDimension } from '../../common/vocabulary';

/** The guest's score for one aspect of the stay. */
export class DimensionScoreDto {
  /** The aspect of the stay. */
  @OneOf(STAY_DIMENSIONS)
  dimension: StayDimension;

  /** 1 (very poor) to 5 (excellent). */
  @IntBetween(1, 5)
  score: number;
}
