import { Instant, IntBetween, NestedArray, OneOf, Optional } from '../../common/decorators';
import { DimensionScoreDto } from './dimension-score.dto';
import { SurveyFields } from './survey.fields';

export const DETRACTOR_TRIGGERS = ['nps', 'csat'] as const;

/** A completed survey made the guest a detractor (or very dissatisfied): service recovery should follow. */
export class DetractorIdentifiedV1 extends SurveyFields {
  /** The likelihood-to-recommend score, 0 to 10 (0 to 6 when it triggered); absent when skipped. */
  @Optional()
  @IntBetween(0, 10)
  nps?: number;

  /** Overall satisfaction, 1 to 5, when answered. */
  @Optional()
  @IntBetween(1, 5)
  csat?: number;

  /** What made the answer a case for recovery: a detractor score, a very low CSAT, or both. */
  @Optional()
  @OneOf(DETRACTOR_TRIGGERS)
  trigger?: (typeof DETRACTOR_TRIGGERS)[number];

  /** The aspects the guest scored lowest, worst first. */
  @NestedArray(() => DimensionScoreDto, { min: 0, max: 20 })
  lowestDimensions: DimensionScoreDto[];

  /** When the answer was classified. */
  @Instant()
  identifiedAt: string;
}
