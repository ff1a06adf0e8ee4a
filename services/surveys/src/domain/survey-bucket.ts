import { classifyNps, SERVICE_QUALITY_DIMENSIONS } from '@loyalty/contracts';
import type { ScoredAnswer } from './answer-validation';
import { DEPARTMENTS } from './templates';

export const SCORED_DIMENSIONS = [...SERVICE_QUALITY_DIMENSIONS, ...DEPARTMENTS] as const;
export type ScoredDimension = (typeof SCORED_DIMENSIONS)[number];

/**
 * Sums for one dimension. `n`/`sum` cover every answer of the dimension (its average); the `pairs`
 * sums cover answers that also scored NPS, x the dimension and y the recommend score (its correlation).
 */
export interface DimensionSums {
  n: number;
  sum: number;
  pairs: number;
  sumX: number;
  sumXX: number;
  sumY: number;
  sumYY: number;
  sumXY: number;
}

/**
 * What any number of answers add up to. Buckets only ever add, so the aggregates are kept as rows of
 * sums (property × local day) and a period is the sum of its days' buckets.
 */
export interface SurveyBucket {
  /** Every answer, a skipped recommend question included. */
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  csatCount: number;
  csatSum: number;
  dimensions: Partial<Record<ScoredDimension, DimensionSums>>;
}

export function emptyBucket(): SurveyBucket {
  return { responses: 0, promoters: 0, passives: 0, detractors: 0, csatCount: 0, csatSum: 0, dimensions: {} };
}

const BAND_FIELD = { promoter: 'promoters', passive: 'passives', detractor: 'detractors' } as const;

/** The bucket of a single answer: the increment the aggregates receive when it arrives. */
export function bucketOf(answer: ScoredAnswer): SurveyBucket {
  const bucket = emptyBucket();
  bucket.responses = 1;
  if (answer.nps !== undefined) bucket[BAND_FIELD[classifyNps(answer.nps)]] = 1;
  if (answer.csat !== undefined) {
    bucket.csatCount = 1;
    bucket.csatSum = answer.csat;
  }
  const scores: Partial<Record<ScoredDimension, number>> = { ...answer.quality, ...answer.departments };
  for (const dimension of SCORED_DIMENSIONS) {
    const x = scores[dimension];
    if (x === undefined) continue;
    const y = answer.nps;
    bucket.dimensions[dimension] =
      y === undefined
        ? { n: 1, sum: x, pairs: 0, sumX: 0, sumXX: 0, sumY: 0, sumYY: 0, sumXY: 0 }
        : { n: 1, sum: x, pairs: 1, sumX: x, sumXX: x * x, sumY: y, sumYY: y * y, sumXY: x * y };
  }
  return bucket;
}

/** Adds `other` into `into` and returns it. */
export function addInto(into: SurveyBucket, other: SurveyBucket): SurveyBucket {
  into.responses += other.responses;
  into.promoters += other.promoters;
  into.passives += other.passives;
  into.detractors += other.detractors;
  into.csatCount += other.csatCount;
  into.csatSum += other.csatSum;
  for (const dimension of SCORED_DIMENSIONS) {
    const add = other.dimensions[dimension];
    if (!add) continue;
    const sums = (into.dimensions[dimension] ??= {
      n: 0,
      sum: 0,
      pairs: 0,
      sumX: 0,
      sumXX: 0,
      sumY: 0,
      sumYY: 0,
      sumXY: 0,
    });
    for (const key of Object.keys(sums) as (keyof DimensionSums)[]) sums[key] += add[key];
  }
  return into;
}
