import type { BgNbdParameters } from '../bgnbd/parameters';
import { expectedInterval, probabilityAlive } from '../bgnbd/score';
import type { VisitSummary } from './visit-summary';

/** Where a regular guest counts as lapsing; configurable per deployment (see the service config). */
export interface RiskLine {
  /** Below this model probability of still being an active guest (once overdue)... */
  readonly probabilityAliveBelow: number;
  /** ...or when the days since the last stay pass this multiple of the guest's expected interval. */
  readonly intervalMultiple: number;
  /** Only guests with an established pattern: at least this many repeat stays. */
  readonly minRepeatStays: number;
}

export const DEFAULT_RISK_LINE: RiskLine = {
  probabilityAliveBelow: 0.2,
  intervalMultiple: 1.6,
  minRepeatStays: 2,
};

export interface LapseAssessment {
  readonly lapsing: boolean;
  readonly riskLevel: 'elevated' | 'high';
  readonly probabilityAlive: number;
  readonly expectedIntervalDays: number;
  readonly daysSinceLastStay: number;
}

/**
 * Judges one guest as of `today`. The expected interval is the model's 1/E[λ] given the visits up to
 * the last one: the guest's own cadence, shrunk towards the chain's while there are few visits, so
 * two lucky short gaps do not make an ordinary gap look like a lapse. Both rules crossed is `high`.
 */
export function assessLapse(
  model: BgNbdParameters,
  line: RiskLine,
  visits: Pick<VisitSummary, 'firstDay' | 'lastDay' | 'repeatVisits'>,
  today: number,
): LapseAssessment {
  const x = visits.repeatVisits;
  const tx = visits.lastDay - visits.firstDay;
  const T = Math.max(today - visits.firstDay, tx);
  const alive = probabilityAlive(model, x, tx, T);
  const interval = expectedInterval(model, x, tx);
  const daysSinceLastStay = Math.max(0, today - visits.lastDay);
  const silent = daysSinceLastStay > line.intervalMultiple * interval;
  // Right after a stay P(alive) is 1 / (1 + a/(b+x-1)): the model's chance of dropping out at that
  // very stay, not a sign of lapsing; it only counts once the guest is past their expected interval.
  const unlikelyAlive = alive < line.probabilityAliveBelow && daysSinceLastStay > interval;
  return {
    lapsing: x >= line.minRepeatStays && (silent || unlikelyAlive),
    riskLevel: silent && unlikelyAlive ? 'high' : 'elevated',
    probabilityAlive: alive,
    expectedIntervalDays: interval,
    daysSinceLastStay,
  };
}
