const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a local date (YYYY-MM-DD) or of an instant's UTC date. */
export function dayNumber(date: string | Date): number {
  const ms = typeof date === 'string' ? Date.parse(`${date.slice(0, 10)}T00:00:00Z`) : date.getTime();
  return Math.floor(ms / DAY_MS);
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * What the lifetime model needs of a guest's visits (days of departure): the first, the last, the
 * number of repeat visits x, and the spread of the intervals between them.
 */
export interface VisitSummary {
  readonly firstDay: number;
  readonly lastDay: number;
  readonly repeatVisits: number;
  /** Mean days between consecutive visits (0 with one visit): the guest's own cadence. */
  readonly meanIntervalDays: number;
  readonly intervalDeviationDays: number;
}

/** Summarises visit days in any order; two stays departing on one day count as one visit. */
export function summariseVisits(days: readonly number[]): VisitSummary {
  if (days.length === 0) throw new RangeError('a visit summary needs at least one visit');
  const distinct = [...new Set(days)].sort((p, q) => p - q);
  const repeatVisits = distinct.length - 1;
  const firstDay = distinct[0];
  const lastDay = distinct[repeatVisits];
  const meanIntervalDays = repeatVisits > 0 ? (lastDay - firstDay) / repeatVisits : 0;
  let squares = 0;
  for (let i = 1; i < distinct.length; i++)
    squares += (distinct[i] - distinct[i - 1] - meanIntervalDays) ** 2;
  const intervalDeviationDays = repeatVisits > 1 ? Math.sqrt(squares / (repeatVisits - 1)) : 0;
  return { firstDay, lastDay, repeatVisits, meanIntervalDays, intervalDeviationDays };
}
