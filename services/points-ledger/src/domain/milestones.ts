import type { MilestoneRule } from './program-rules';

export interface MilestoneAwardLine {
  readonly id: string;
  /** The count (of nights or stays in the year) whose crossing earned this award. */
  readonly threshold: number;
  readonly points: number;
}

/** Thresholds of the rule in (before, after]: each is crossed exactly once however stays split the year. */
export function crossedThresholds(rule: MilestoneRule, before: number, after: number): number[] {
  if (after <= before || after < rule.startAt) return [];
  if (rule.every === undefined) return before < rule.startAt ? [rule.startAt] : [];
  const first = before < rule.startAt ? 0 : Math.floor((before - rule.startAt) / rule.every) + 1;
  const last = Math.floor((after - rule.startAt) / rule.every);
  const crossed: number[] = [];
  for (let index = first; index <= last; index += 1) crossed.push(rule.startAt + index * rule.every);
  return crossed;
}

type YearCounts = { readonly nights: number; readonly stays: number };

/**
 * Milestone awards for a stay that moves the guest's year-to-date counts by `nights` and one stay: the
 * thresholds past what the year had `reached` as its stays were credited, up to the counts after this one.
 * A correction moves the counts but not `reached`, as it pays no milestone: one that took nights off (a
 * stay shortened after check-out) does not make paid thresholds payable again, and one that added nights
 * leaves the thresholds it crossed to this stay.
 */
export function evaluateMilestones(
  rules: readonly MilestoneRule[],
  yearToDate: YearCounts,
  reached: YearCounts,
  nights: number,
): MilestoneAwardLine[] {
  return rules.flatMap((rule) => {
    const [before, paidUpTo] =
      rule.metric === 'nights' ? [yearToDate.nights, reached.nights] : [yearToDate.stays, reached.stays];
    const after = before + (rule.metric === 'nights' ? nights : 1);
    return crossedThresholds(rule, paidUpTo, after).map((threshold) => ({
      id: rule.id,
      threshold,
      points: rule.points,
    }));
  });
}
