import { Bool, Instant, IntBetween, NestedArray, OneOf, Optional } from '../../common/decorators';
import { DimensionScoreDto } from './dimension-score.dto';
import { MatchesNps, NPS_CLASSIFICATIONS, type NpsClassification } from './nps';
import { SurveyFields } from './survey.fields';

/** A guest answered a post-stay survey. */
export class SurveyCompletedV1 extends SurveyFields {
  /** When the guest submitted the answers. */
  @Instant()
  completedAt: string;

  /** Likelihood to recommend, 0 to 10. */
  @IntBetween(0, 10)
  nps: number;

  /** Overall satisfaction, 1 to 5, when the survey asks it. */
  @Optional()
  @IntBetween(1, 5)
  csat?: number;

  /** Scores per aspect of the stay the guest answered. */
  @NestedArray(() => DimensionScoreDto, { min: 0, max: 20 })
  dimensions: DimensionScoreDto[];

  /** Derived from `nps`. */
  @OneOf(NPS_CLASSIFICATIONS)
  @MatchesNps()
  classification: NpsClassification;

  /** Whether the guest left a free-text comment (the text stays in surveys). */
  @Bool()
  hasComment: boolean;
}
