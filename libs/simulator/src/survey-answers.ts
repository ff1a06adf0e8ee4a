import { createHash } from 'node:crypto';
import { SeededRandom } from './random';

/** Answers keyed by the post-stay survey's question ids, as a guest's browser would post them. */
export type SurveyAnswers = Record<string, number | string>;

/** About a third of invited guests answer, as post-stay surveys usually see. */
export const SURVEY_RESPONSE_RATE = 0.35;

// Likelihood-to-recommend as hotel guests give it: most promoters, a tail of detractors.
const RECOMMEND_WEIGHTS = [
  [10, 30],
  [9, 24],
  [8, 16],
  [7, 11],
  [6, 5],
  [5, 4],
  [4, 2.5],
  [3, 2],
  [2, 1.5],
  [1, 1.5],
  [0, 2.5],
] as const;

const ASPECTS = ['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'];
const DEPARTMENTS = ['front-desk', 'housekeeping', 'food-and-beverage'];
const COMMENTS = ['The room was noisy at night.', 'Check-in took far too long.', 'Lovely staff, thank you!'];

function seedOf(seed: number, stayKey: string): number {
  return createHash('sha256').update(`${seed}:survey:${stayKey}`).digest().readUInt32BE(0);
}

/**
 * Whether and how the guest of a stay answers its survey: the same seed and stay give the same answer.
 * Satisfaction and the aspect scores follow the recommend score, so driver analysis finds a signal;
 * a few guests skip the recommend question.
 */
export function surveyAnswerFor(seed: number, stayKey: string): SurveyAnswers | null {
  const random = new SeededRandom(seedOf(seed, stayKey));
  if (!random.chance(SURVEY_RESPONSE_RATE)) return null;
  const recommend = random.weighted(RECOMMEND_WEIGHTS);
  const around = (centre: number) => Math.min(5, Math.max(1, Math.round(centre + (random.next() - 0.5) * 2)));
  const level = 1 + (recommend / 10) * 4;
  const answers: SurveyAnswers = { satisfaction: around(level) };
  if (!random.chance(0.04)) answers.recommend = recommend;
  for (const aspect of ASPECTS) answers[aspect] = around(level + (aspect === 'empathy' ? 0.4 : 0));
  for (const department of DEPARTMENTS) if (random.chance(0.7)) answers[department] = around(level);
  if (recommend <= 6 && random.chance(0.6)) answers.comment = random.pick(COMMENTS.slice(0, 2));
  else if (random.chance(0.1)) answers.comment = COMMENTS[2];
  return answers;
}
