import { defineConstraint } from '../../common/decorators/define-constraint';

export const NPS_CLASSIFICATIONS = ['promoter', 'passive', 'detractor'] as const;
export type NpsClassification = (typeof NPS_CLASSIFICATIONS)[number];

/** Net Promoter bands: 9-10 promoter, 7-8 passive, 0-6 detractor. */
export function classifyNps(score: number): NpsClassification {
  if (score >= 9) return 'promoter';
  return score >= 7 ? 'passive' : 'detractor';
}

/** The classification agrees with the `nps` field (a malformed score is reported by its own rule). */
export const MatchesNps = defineConstraint<[]>({
  name: 'matchesNps',
  test: (value, _params, object) => {
    const { nps } = object as Record<string, unknown>;
    return !Number.isSafeInteger(nps) || value === classifyNps(nps as number);
  },
  reason: () => 'must match nps (9-10 promoter, 7-8 passive, 0-6 detractor)',
  schema: () => ({ $comment: '9-10 promoter, 7-8 passive, 0-6 detractor' }),
});
