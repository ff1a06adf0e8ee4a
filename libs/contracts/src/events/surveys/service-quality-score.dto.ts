import { IntBetween, OneOf } from '../../common/decorators';

/** The five service-quality (SERVQUAL) dimensions a post-stay survey asks about. */
export const SERVICE_QUALITY_DIMENSIONS = [
  'reliability',
  'responsiveness',
  'assurance',
  'empathy',
  'tangibles',
] as const;
export type ServiceQualityDimension = (typeof SERVICE_QUALITY_DIMENSIONS)[number];

/** The guest's score for one service-quality dimension. */
export class ServiceQualityScoreDto {
  /** The service-quality dimension. */
  @OneOf(SERVICE_QUALITY_DIMENSIONS)
  dimension: ServiceQualityDimension;

  /** 1 (strongly disagree the hotel did well) to 5 (strongly agree). */
  @IntBetween(1, 5)
  score: number;
}
