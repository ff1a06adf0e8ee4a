import { Instant, IntBetween, NestedArray } from '../../common/decorators';
import { DimensionScoreDto } from './dimension-score.dto';
import { SurveyFields } from './survey.fields';

/** A completed survey made the guest a detractor: service recovery should follow. */
export class DetractorIdentifiedV1 extends SurveyFields {
  /** The detractor's score, 0 to 6. */
  @IntBetween(0, 6)
  nps: number;

  /** The aspects the guest scored lowest, worst first. */
  @NestedArray(() => DimensionScoreDto, { min: 0, max: 20 })
  lowestDimensions: DimensionScoreDto[];

  /** When the answer was classified. */
  @Instant()
  identifiedAt: string;
}
