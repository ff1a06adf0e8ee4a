import { roundedRatio } from '@loyalty/observability';

/** One category's share of the complaints, and the running share down the Pareto order. */
export interface ParetoRow {
  category: string;
  complaints: number;
  share: number;
  cumulativeShare: number;
  /** Among the few categories that together make the first 80 % of complaints. */
  vitalFew: boolean;
}

const VITAL_SHARE = 0.8;

/** Categories by count, largest first (ties by name), with shares rounded to 0.1 %. */
export function pareto(counts: Record<string, number>): ParetoRow[] {
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  let before = 0;
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([category, complaints]) => {
      // A category is vital while the ones before it have not yet reached 80 %.
      const vitalFew = before / total < VITAL_SHARE;
      before += complaints;
      // Rows exist only for counts above zero, so the total is never zero here.
      return {
        category,
        complaints,
        share: percent(complaints, total) ?? 0,
        cumulativeShare: percent(before, total) ?? 0,
        vitalFew,
      };
    });
}

/** `part` of `whole` in percent to one decimal, halves up; null when there is no whole to divide. */
export function percent(part: number, whole: number): number | null {
  return roundedRatio(part * 100, whole, 1);
}

/** Complaints per 100 stays, to one decimal; null without stays. */
export function per100(complaints: number, stays: number): number | null {
  return percent(complaints, stays);
}
