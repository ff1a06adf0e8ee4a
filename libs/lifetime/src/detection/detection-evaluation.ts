import { fitBgNbd } from '../bgnbd/fit';
import type { BgNbdParameters } from '../bgnbd/parameters';
import { simulate, type SimulationOptions } from '@loyalty/simulator';
import { asCustomers, findLapses, type VisitColumns } from './lapse-scoring';
import { DEFAULT_RISK_LINE, type RiskLine } from './risk-line';
import { dayNumber } from './visit-summary';

export interface EvaluationOptions extends Pick<SimulationOptions, 'seed' | 'guests' | 'days' | 'startDate'> {
  readonly line?: RiskLine;
  /** How often the model is refitted on what has been seen so far, in days (the service's schedule). */
  readonly refitEveryDays?: number;
  /** The naive rule it is compared with: an alert after this many days without a stay. */
  readonly baselineSilenceDays?: number;
}

export interface DetectionScore {
  readonly alerts: number;
  readonly truePositives: number;
  readonly precision: number;
  readonly recall: number;
  /** Median days from the planted lapse to the first alert after it, in the guest's normal intervals. */
  readonly medianDelayIntervals: number | null;
}

export interface EvaluationReport {
  readonly guests: number;
  readonly days: number;
  readonly plantedLapses: number;
  readonly model: DetectionScore;
  readonly baseline: DetectionScore;
}

interface Alert {
  readonly row: number;
  readonly day: number;
}

/**
 * Replays a simulated chain day by day through the detection the service runs (refit on a schedule,
 * daily scan with one alert per episode, the next stay closing it) and scores the alerts against the
 * planted lapsing guests. An alert counts as true when the guest is a planted lapser and the lapse had
 * begun; the naive baseline runs on the same guests (established pattern) in the same replay.
 */
export function evaluateDetection(options: EvaluationOptions): EvaluationReport {
  const { line = DEFAULT_RISK_LINE, refitEveryDays = 30, baselineSilenceDays = 180 } = options;
  const simulation = simulate({ ...options, duplicateRate: 0, outOfOrderRate: 0, malformedRate: 0 });
  const rowOf = new Map(simulation.guests.map((guest, row) => [guest.ref, row]));
  const n = simulation.guests.length;
  const start = dayNumber(options.startDate);
  const visitsOn: number[][] = Array.from({ length: options.days + 30 }, () => []);
  for (const stay of simulation.stays)
    visitsOn[dayNumber(stay.departure) - start]?.push(rowOf.get(stay.guest.ref) as number);

  const guests: VisitColumns = {
    firstDay: new Float64Array(n),
    lastDay: new Float64Array(n),
    repeatVisits: new Float64Array(n).fill(-1),
  };
  const open = new Uint8Array(n);
  const baselineOpen = new Uint8Array(n);
  const modelAlerts: Alert[] = [];
  const baselineAlerts: Alert[] = [];
  let model: BgNbdParameters | undefined;
  for (let day = 0; day < options.days; day++) {
    for (const row of visitsOn[day]) {
      if (guests.repeatVisits[row] < 0) guests.firstDay[row] = day;
      if (guests.repeatVisits[row] < 0 || day > guests.lastDay[row]) guests.repeatVisits[row]++;
      guests.lastDay[row] = day;
      open[row] = 0;
      baselineOpen[row] = 0;
    }
    if (day % refitEveryDays === 0) model = refit(guests, day) ?? model;
    if (!model) continue;
    for (const lapse of findLapses(model, line, guests, day, open)) {
      open[lapse.row] = 1;
      modelAlerts.push({ row: lapse.row, day });
    }
    for (let row = 0; row < n; row++) {
      if (baselineOpen[row] || guests.repeatVisits[row] < line.minRepeatStays) continue;
      if (day - guests.lastDay[row] > baselineSilenceDays) {
        baselineOpen[row] = 1;
        baselineAlerts.push({ row, day });
      }
    }
  }
  const truth = new Map(
    simulation.lapses.map((lapse) => [
      rowOf.get(lapse.guestRef) as number,
      { day: dayNumber(lapse.lapseBegan) - start, interval: lapse.normalIntervalDays },
    ]),
  );
  return {
    guests: n,
    days: options.days,
    plantedLapses: truth.size,
    model: score(modelAlerts, truth),
    baseline: score(baselineAlerts, truth),
  };
}

/** Fits on the guests seen so far; none while there are too few to say anything. */
function refit(guests: VisitColumns, today: number): BgNbdParameters | undefined {
  const seen = [...guests.repeatVisits.keys()].filter((row) => guests.repeatVisits[row] >= 0);
  if (seen.filter((row) => guests.repeatVisits[row] > 0).length < 20) return undefined;
  const pick = (column: Float64Array) => Float64Array.from(seen, (row) => column[row]);
  const known = {
    firstDay: pick(guests.firstDay),
    lastDay: pick(guests.lastDay),
    repeatVisits: pick(guests.repeatVisits),
  };
  return fitBgNbd(asCustomers(known, today)).parameters;
}

function score(alerts: Alert[], truth: Map<number, { day: number; interval: number }>): DetectionScore {
  const firstDetection = new Map<number, number>();
  let truePositives = 0;
  for (const alert of alerts) {
    const lapse = truth.get(alert.row);
    if (!lapse || alert.day < lapse.day) continue;
    truePositives++;
    if (!firstDetection.has(alert.row))
      firstDetection.set(alert.row, (alert.day - lapse.day) / lapse.interval);
  }
  return {
    alerts: alerts.length,
    truePositives,
    precision: alerts.length ? truePositives / alerts.length : 0,
    recall: truth.size ? firstDetection.size / truth.size : 0,
    medianDelayIntervals: median([...firstDetection.values()]),
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
