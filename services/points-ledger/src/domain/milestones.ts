import type { MilestoneRule } from './program-rules';
import { yearStillRewarded } from './tiers';

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

export type YearCounts = { readonly nights: number; readonly stays: number };

/** The awards for every threshold past what the year had `reached`, up to its counts `after`. */
function awardsPast(
  rules: readonly MilestoneRule[],
  reached: YearCounts,
  after: YearCounts,
): MilestoneAwardLine[] {
  return rules.flatMap((rule) =>
    crossedThresholds(rule, reached[rule.metric], after[rule.metric]).map((threshold) => ({
      id: rule.id,
      threshold,
      points: rule.points,
    })),
  );
}

/** The most nights and stays the year has reached once it counts `counts`: it only rises. */
export function reachedWith(reached: YearCounts, counts: YearCounts): YearCounts {
  return { nights: Math.max(reached.nights, counts.nights), stays: Math.max(reached.stays, counts.stays) };
}

/**
 * Milestone awards for a stay that moves the guest's year-to-date counts by `nights` and one stay: the
 * thresholds past what the year had `reached` as its stays were credited and its nights corrected, up to
 * the counts after this one. A correction that took nights off (a stay shortened after check-out) leaves
 * `reached`, so it does not make paid thresholds payable again.
 */
export function evaluateMilestones(
  rules: readonly MilestoneRule[],
  yearToDate: YearCounts,
  reached: YearCounts,
  nights: number,
): MilestoneAwardLine[] {
  return awardsPast(rules, reached, { nights: yearToDate.nights + nights, stays: yearToDate.stays + 1 });
}

/** What a correction or a merge settles: the awards it pays, and the most the year has reached after it. */
export interface MilestoneSettlement {
  readonly awards: readonly MilestoneAwardLine[];
  readonly reached: YearCounts;
}

/** The qualifying year of a credited stay, as a correction of the stay finds it. */
export interface CorrectedYear {
  readonly year: number;
  /** Its counts before the correction. */
  readonly yearToDate: YearCounts;
  /** The most its counts reached as its stays were credited and corrected: milestones up to it are settled. */
  readonly reached: YearCounts;
}

/**
 * Milestones settled by a correction of a credited stay's nights (`stay-adjusted` v2) that moves the year's
 * counts by `gained`. One that adds nights (or gives the stay back) settles, as a stay does, the thresholds
 * past what the year had reached up to its counts after it: paid at once on a stay that earns, in a year
 * still rewarded when the ledger applies it at `now` (`yearStillRewarded`), forfeited otherwise, and reached
 * either way, so no later stay pays them again. One that takes nights off settles nothing and leaves the
 * mark, so paid thresholds are not paid again.
 */
export function correctionMilestones(
  rules: readonly MilestoneRule[],
  { year, yearToDate, reached }: CorrectedYear,
  gained: YearCounts,
  earning: boolean,
  now: Date,
): MilestoneSettlement {
  if (gained.nights <= 0 && gained.stays <= 0) return { awards: [], reached };
  const after = { nights: yearToDate.nights + gained.nights, stays: yearToDate.stays + gained.stays };
  const paid = earning && yearStillRewarded(year, now);
  return { awards: paid ? awardsPast(rules, reached, after) : [], reached: reachedWith(reached, after) };
}

/** A year's counts on one side of a merge, and the most they reached (milestones up to it are settled). */
export interface YearTally extends YearCounts {
  readonly reached: YearCounts;
}

/**
 * Milestones a merge settles in a year both accounts counted in. Each side settled the thresholds up to its
 * own mark, so a threshold both crossed was paid twice already, and one past both marks was paid on
 * neither. The combined year is paid, of each milestone, as many awards as one account with its counts
 * would have been: each threshold its counts cross, less those the two sides settled between them, so an
 * award paid on both accounts stands in for one the combined counts cross and no threshold is paid twice.
 * The mark rises to the combined counts, so no later stay pays them again.
 */
export function mergeMilestones(
  rules: readonly MilestoneRule[],
  survivor: YearTally,
  merged: YearTally,
): MilestoneSettlement {
  const combined = { nights: survivor.nights + merged.nights, stays: survivor.stays + merged.stays };
  const awards = rules.flatMap((rule) => {
    const settled =
      crossedThresholds(rule, 0, survivor.reached[rule.metric]).length +
      crossedThresholds(rule, 0, merged.reached[rule.metric]).length;
    return crossedThresholds(rule, 0, combined[rule.metric])
      .slice(settled)
      .map((threshold) => ({ id: rule.id, threshold, points: rule.points }));
  });
  return { awards, reached: reachedWith(reachedWith(survivor.reached, merged.reached), combined) };
}
