import type { DimensionScoreDto, EventData, StayDimension } from '@loyalty/contracts';
import type { ScoredAnswer } from './answer-validation';
import type { Department } from './templates';

export type RecoveryTrigger = NonNullable<EventData<'detractor-identified'>['trigger']>;

/** CSAT at or below this is "very low": a recovery case even when the guest would still recommend. */
export const VERY_LOW_CSAT = 2;

/** Why an answer needs service recovery: a detractor score first, else a very low CSAT; null if neither. */
export function recoveryTrigger(answer: ScoredAnswer): RecoveryTrigger | null {
  if (answer.nps !== undefined && answer.nps <= 6) return 'nps';
  return answer.csat !== undefined && answer.csat <= VERY_LOW_CSAT ? 'csat' : null;
}

/** Departments in the platform's vocabulary of stay aspects, which complaints files cases under. */
const STAY_ASPECT: Record<Department, StayDimension> = {
  'front-desk': 'check-in',
  housekeeping: 'cleanliness',
  'food-and-beverage': 'food-and-beverage',
};

/** Department ratings as stay-aspect scores, worst first. */
export function stayAspectScores(answer: ScoredAnswer): DimensionScoreDto[] {
  return (Object.entries(answer.departments) as [Department, number][])
    .map(([department, score]) => ({ dimension: STAY_ASPECT[department], score }))
    .sort((a, b) => a.score - b.score);
}
