import { addDays } from '@loyalty/time';

export const PERIODS = ['week', 'month', 'rolling-90'] as const;
export type Period = (typeof PERIODS)[number];

/** Local days `from` (inclusive) to `to` (exclusive). */
export interface DayRange {
  from: string;
  to: string;
}

/** The ISO week (Monday first) or calendar month containing `date`, or the 90 days ending with it. */
export function periodRange(period: Period, date: string): DayRange {
  if (period === 'rolling-90') return { from: addDays(date, -89), to: addDays(date, 1) };
  if (period === 'month') {
    const from = `${date.slice(0, 7)}-01`;
    const next = new Date(Date.parse(`${from}T00:00:00Z`));
    next.setUTCMonth(next.getUTCMonth() + 1);
    return { from, to: next.toISOString().slice(0, 10) };
  }
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  const from = addDays(date, -weekday);
  return { from, to: addDays(from, 7) };
}
