import { defineConstraint } from '../../common/decorators/define-constraint';

export const NPS_CLASSIFICATIONS = ['promoter', 'passive', 'detractor'] as const;
export type NpsClassification = (typeof NPS_CLASSIFICATIONS)[number];

/** Net Promoter bands: 9-10 promoter, 7-8 passive, 0-6 detractor. */
export function classifyNps(score: number): NpsClassification {
  if (score >= 9) return 'promoter';
  return score >= 7 ? 'passive' : 'detractor';
}

/**
 * The classification agrees with the `nps` field and is absent when it is (a malformed score is reported
 * by its own rule).
 */
export const MatchesNps = defineConstraint<[]>({
  name: 'matchesNps',
  test: (value, _params, object) => {
    const { nps } = object as Record<string, unknown>;
    if (nps === undefined) return value === undefined;
    return !Number.isSafeInteger(nps) || value === classifyNps(nps as number);
  },
  reason: () => 'must match nps (9-10 promoter, 7-8 passive, 0-6 detractor), absent when nps is',
  schema: () => ({ $comment: '9-10 promoter, 7-8 passive, 0-6 detractor' }),
});

/** Answers per band; a skipped recommend question is in none of them. */
export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

export interface NpsResult {
  /** % promoters − % detractors, −100 to 100, one decimal; null without any NPS answer. */
  nps: number | null;
  /** NPS answers counted (skipped recommend questions are not). */
  answers: number;
  /** Half-width of the 95% confidence interval, in NPS points; null below two answers. */
  marginOfError: number | null;
}

const Z_95 = 1.959964;

/**
 * The one NPS formula of the platform. The margin treats each answer as +1 (promoter), 0 (passive) or
 * −1 (detractor): NPS is their mean, with variance p + d − (p − d)², so the error is z·√(variance / n).
 */
export function netPromoterScore(counts: NpsCounts): NpsResult {
  const answers = counts.promoters + counts.passives + counts.detractors;
  if (answers === 0) return { nps: null, answers, marginOfError: null };
  const p = counts.promoters / answers;
  const d = counts.detractors / answers;
  const variance = p + d - (p - d) ** 2;
  return {
    nps: npsToOneDecimal(counts.promoters - counts.detractors, answers),
    answers,
    marginOfError: answers < 2 ? null : round1(Z_95 * Math.sqrt(variance / answers) * 100),
  };
}

/**
 * 100 × net / answers to one decimal, halves away from zero, from the integer counts: a half such as
 * 6.25 is exact as net × 1000 / answers, but not as a difference of two fractions, whose float error
 * rounded one panel's 6.25 down and another's up.
 */
function npsToOneDecimal(net: number, answers: number): number {
  const tenths = (Math.abs(net) * 1000) / answers;
  return (Math.sign(net) * Math.round(tenths)) / 10 + 0; // + 0 turns -0 into 0
}

function round1(value: number): number {
  return Math.round(value * 10) / 10 + 0; // + 0 turns -0 into 0
}
