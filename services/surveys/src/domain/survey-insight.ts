import { netPromoterScore, type NpsResult } from '@loyalty/contracts';
import { roundedRatio } from '@loyalty/observability';
import {
  SCORED_DIMENSIONS,
  type DimensionSums,
  type ScoredDimension,
  type SurveyBucket,
} from './survey-bucket';
import { DEPARTMENTS } from './templates';

export interface DimensionAverage {
  average: number | null;
  answers: number;
}

export interface SurveyInsight extends NpsResult {
  promoters: number;
  passives: number;
  detractors: number;
  /** Every answer, including those that skipped the recommend question. */
  responses: number;
  invited: number;
  /**
   * Of the invitations sent in the period, the share answered so far (whenever the answer came), null
   * without invitations. Not responses / invited: an answer comes up to the link's lifetime after its
   * invitation, often in a later period.
   */
  responseRate: number | null;
  csatAverage: number | null;
  serviceQuality: Partial<Record<ScoredDimension, DimensionAverage>>;
  departments: Partial<Record<ScoredDimension, DimensionAverage>>;
}

export interface Driver {
  dimension: ScoredDimension;
  /** Pearson correlation of the dimension's score with the recommend score. */
  correlation: number;
  /** Recommend points per dimension point (least-squares slope). */
  slope: number;
  pairs: number;
}

// For the correlation only: it is no ratio of integers, so roundedRatio cannot take it.
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
const DEPARTMENT_SET = new Set<string>(DEPARTMENTS);

/** The invitations sent in a period, and how many of them were answered, in that period or later. */
export interface InvitationCohort {
  invited: number;
  answered: number;
}

/**
 * NPS with its margin, response rate and averages of one bucket (a property, brand or chain over a period),
 * and the response rate of the invitations sent in it.
 */
export function insightOf(bucket: SurveyBucket, cohort: InvitationCohort): SurveyInsight {
  const averages = (inDepartments: boolean) =>
    Object.fromEntries(
      SCORED_DIMENSIONS.filter((d) => DEPARTMENT_SET.has(d) === inDepartments).map((d) => {
        const sums = bucket.dimensions[d];
        return [d, { average: roundedRatio(sums?.sum ?? 0, sums?.n ?? 0, 2), answers: sums?.n ?? 0 }];
      }),
    );
  return {
    ...netPromoterScore(bucket),
    promoters: bucket.promoters,
    passives: bucket.passives,
    detractors: bucket.detractors,
    responses: bucket.responses,
    invited: cohort.invited,
    responseRate: roundedRatio(cohort.answered, cohort.invited, 3),
    csatAverage: roundedRatio(bucket.csatSum, bucket.csatCount, 2),
    serviceQuality: averages(false),
    departments: averages(true),
  };
}

/**
 * Dimensions ordered by their correlation with the recommend score, the one that rises most with it first and
 * one that falls as it rises last (at least 3 pairs, some spread).
 */
export function driversOf(bucket: SurveyBucket): Driver[] {
  const drivers: Driver[] = [];
  for (const dimension of SCORED_DIMENSIONS) {
    const sums = bucket.dimensions[dimension];
    const fit = sums && linearFit(sums);
    if (fit) drivers.push({ dimension, ...fit, pairs: sums.pairs });
  }
  return drivers.sort((a, b) => b.correlation - a.correlation);
}

function linearFit(s: DimensionSums): { correlation: number; slope: number } | null {
  const covariance = s.pairs * s.sumXY - s.sumX * s.sumY;
  const varianceX = s.pairs * s.sumXX - s.sumX ** 2;
  const varianceY = s.pairs * s.sumYY - s.sumY ** 2;
  // Null when the dimension has no spread (the sums are integers, so a variance is never below 0).
  const slope = roundedRatio(covariance, varianceX, 3);
  if (s.pairs < 3 || slope === null || varianceY <= 0) return null;
  return { correlation: round(covariance / Math.sqrt(varianceX * varianceY), 3), slope };
}
