import type { BgNbdParameters } from '../bgnbd/parameters';
import { assessLapse, type LapseAssessment, type RiskLine } from './risk-line';

/** Guests as columns, one row each, for the daily scan: days of first and last visit, repeat visits. */
export interface VisitColumns {
  readonly firstDay: Float64Array;
  readonly lastDay: Float64Array;
  readonly repeatVisits: Float64Array;
}

export interface Lapse extends LapseAssessment {
  readonly row: number;
}

/** One pass over every guest: the rows that cross the risk line today (skipping `skip`, e.g. open episodes). */
export function findLapses(
  model: BgNbdParameters,
  line: RiskLine,
  guests: VisitColumns,
  today: number,
  skip?: Uint8Array,
): Lapse[] {
  const lapses: Lapse[] = [];
  for (let row = 0; row < guests.firstDay.length; row++) {
    if (skip?.[row] || guests.repeatVisits[row] < line.minRepeatStays) continue;
    const visits = {
      firstDay: guests.firstDay[row],
      lastDay: guests.lastDay[row],
      repeatVisits: guests.repeatVisits[row],
    };
    const assessment = assessLapse(model, line, visits, today);
    if (assessment.lapsing) lapses.push({ row, ...assessment });
  }
  return lapses;
}

/** The same guests as the lifetime model's customer columns (x, t_x, T) as of `today`. */
export function asCustomers(guests: VisitColumns, today: number) {
  const n = guests.firstDay.length;
  const customers = { frequency: new Float64Array(n), recency: new Float64Array(n), T: new Float64Array(n) };
  for (let row = 0; row < n; row++) {
    customers.frequency[row] = guests.repeatVisits[row];
    customers.recency[row] = guests.lastDay[row] - guests.firstDay[row];
    customers.T[row] = Math.max(today - guests.firstDay[row], customers.recency[row]);
  }
  return customers;
}
