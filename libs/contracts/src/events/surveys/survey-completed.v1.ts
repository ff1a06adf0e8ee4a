import { Bool, Instant, IntBetween, NestedArray, OneOf, Optional } from '../../common/decorators';
import { DimensionScoreDto } from './dimension-score.dto';
import { MatchesNps, NPS_CLASSIFICATIONS, type NpsClassification } from './nps';
import { ServiceQualityScoreDto } from './service-quality-score.dto';
import { SurveyFields } from './survey.fields';

/** A guest answered a post-stay survey. */
export class SurveyCompletedV1 extends SurveyFields {
  /** When the guest submitted the answers. */
  @Instant()
  completedAt: string;

  /**
   * Likelihood to recommend, 0 to 10; absent when the guest skipped the question. A skipped answer
   * still counts as a response but is left out of NPS (neither promoter, passive nor detractor).
   */
  @Optional()
  @IntBetween(0, 10)
  nps?: number;

  /** Overall satisfaction, 1 to 5, when the survey asks it. */
  @Optional()
  @IntBetween(1, 5)
  csat?: number;

  /** Scores per aspect of the stay the guest answered (department ratings land here). */
  @NestedArray(() => DimensionScoreDto, { min: 0, max: 20 })
  dimensions: DimensionScoreDto[];

  /** Scores per service-quality dimension the guest answered. */
  @Optional()
  @NestedArray(() => ServiceQualityScoreDto, { min: 0, max: 5 })
  serviceQuality?: ServiceQualityScoreDto[];

  /** Derived from `nps`; absent when `nps` is. */
  @Optional()
  @OneOf(NPS_CLASSIFICATIONS)
  @MatchesNps()
  classification?: NpsClassification;

  /** Whether the guest left a free-text comment (the text stays in surveys). */
  @Bool()
  hasComment: boolean;
}
