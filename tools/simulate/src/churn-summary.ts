import type { EventType } from '@loyalty/contracts';
import { evaluateDetection, type DetectionScore, type EvaluationReport } from '@loyalty/lifetime/evaluation';
import type { Simulation, SimulationOptions } from '@loyalty/simulator';

/** The events the churn summary reads: the churn-watcher's, and merges, which end a profile's alert. */
export const CHURN_SUMMARY_TYPES: EventType[] = [
  'visit-frequency-dropped',
  'visit-frequency-restored',
  'guest-merged',
];

export interface ChurnAlerts {
  raised: number;
  restored: number;
  /** The guests alerted during the run. */
  alertedGuests: string[];
  /** The guests whose alert stands at the end: no return stay since it, and not merged into another profile. */
  openAlerts: string[];
  /** The profile each merged-away profile now lives on, as `guest-merged` said. */
  mergedInto: Record<string, string>;
}

export class ChurnTally {
  private raised = 0;
  private restored = 0;
  private readonly guests = new Set<string>();
  /** Each guest's latest drop or return, by when the churn-watcher detected it (epoch ms). */
  private readonly latest = new Map<string, { dropped: boolean; at: number }>();
  private readonly mergedInto: Record<string, string> = {};

  add(type: EventType, data: Record<string, unknown>): void {
    if (type === 'guest-merged') {
      this.mergedInto[String(data.mergedId)] = String(data.survivorId);
      return;
    }
    const dropped = type === 'visit-frequency-dropped';
    if (!dropped && type !== 'visit-frequency-restored') return;
    const guest = String(data.guestId);
    // The log is read partition by partition; detectedAt and restoredAt give the order they happened in.
    const at = Date.parse(String(dropped ? data.detectedAt : data.restoredAt));
    const previous = this.latest.get(guest);
    if (!previous || !(at < previous.at)) this.latest.set(guest, { dropped, at });
    if (dropped) {
      this.raised++;
      this.guests.add(guest);
    } else {
      this.restored++;
    }
  }

  alerts(): ChurnAlerts {
    // The churn-watcher closes a merged-away profile's alert with the profile, without a return event.
    const openAlerts = [...this.latest]
      .filter(([guest, { dropped }]) => dropped && !Object.hasOwn(this.mergedInto, guest))
      .map(([guest]) => guest);
    return {
      raised: this.raised,
      restored: this.restored,
      alertedGuests: [...this.guests],
      openAlerts,
      mergedInto: { ...this.mergedInto },
    };
  }
}

/**
 * How the alerts that still stand compare with the planted lapsing guests (their profile ids): an alert a
 * return stay withdrew is not the service's verdict any more.
 */
export function scoreAlerts(openAlerts: readonly string[], plantedGuests: ReadonlySet<string>) {
  const hits = openAlerts.filter((guest) => plantedGuests.has(guest)).length;
  return {
    precision: openAlerts.length ? hits / openAlerts.length : null,
    recall: plantedGuests.size ? hits / plantedGuests.size : null,
  };
}

export interface ChurnSection {
  alerts: ChurnAlerts;
  /**
   * The open alerts on guests with a stay recorded in this run: the scan also scores guests of earlier
   * runs (other seeds) in the same databases, whose lapses this run did not plant.
   */
  scoredAlerts: number;
  live: ReturnType<typeof scoreAlerts>;
  /** The planted lapsing guests with a stay recorded in this run: the ones recall is over. */
  planted: number;
  /** Every planted lapsing guest of the simulation, found in the log or not. */
  plantedInSimulation: number;
  /** The last simulated check-out, and the day the service judged the lapses (its clock: today). */
  lastCheckOut: string;
  judgedOn: string;
  /** The offline replay of the same seed over a period long enough for patterns, and what it was. */
  offline: { label: string; report: EvaluationReport };
}

/** Lapses need a pattern first: the offline replay runs at least two years. */
const EVALUATION_DAYS = 730;

/**
 * The churn section: the run's alerts scored against its planted lapsers (profile ids found through the
 * reservations of the stays recorded in the event log), and the offline evaluation of the same seed and guest count.
 */
export function churnSection(
  run: Simulation,
  options: Pick<SimulationOptions, 'seed' | 'guests' | 'days' | 'startDate'>,
  alerts: ChurnAlerts,
  log: Iterable<{ topic: string; value: unknown }>,
  judgedOn: string,
): ChurnSection {
  const lapsing = new Set(run.lapses.map((lapse) => lapse.guestRef));
  const refOf = new Map(
    run.stays.map((stay) => [`${stay.property.id}:${stay.reservationId}`, stay.guest.ref]),
  );
  // A guest recorded under two profiles that were merged since is one guest, on the surviving profile.
  const survivorOf = (guestId: string): string => {
    const seen = new Set<string>();
    let id = guestId;
    while (Object.hasOwn(alerts.mergedInto, id) && !seen.has(id)) {
      seen.add(id);
      id = alerts.mergedInto[id];
    }
    return id;
  };
  const guestsOfRun = new Set<string>();
  const plantedGuests = new Set<string>();
  for (const { topic, value } of log) {
    if (!topic.endsWith('stay-recorded')) continue;
    const data = (value as { data?: { guestId: string; propertyId: string; reservationId: string } }).data;
    if (!data) continue;
    const guest = survivorOf(data.guestId);
    guestsOfRun.add(guest);
    const ref = refOf.get(`${data.propertyId}:${data.reservationId}`);
    if (ref && lapsing.has(ref)) plantedGuests.add(guest);
  }
  const scored = alerts.openAlerts.filter((guest) => guestsOfRun.has(guest));
  const days = Math.max(options.days, EVALUATION_DAYS);
  return {
    alerts,
    scoredAlerts: scored.length,
    live: scoreAlerts(scored, plantedGuests),
    planted: plantedGuests.size,
    plantedInSimulation: lapsing.size,
    lastCheckOut: run.stays.reduce((last, stay) => (stay.departure > last ? stay.departure : last), ''),
    judgedOn,
    offline: {
      label: `seed ${options.seed}, ${options.guests} guests, replayed over ${days} days`,
      report: evaluateDetection({ ...options, days }),
    },
  };
}

export function renderChurn(section: ChurnSection): string[] {
  const share = (value: number | null) => (value === null ? 'n/a' : value.toFixed(2));
  const score = (name: string, s: DetectionScore) =>
    `  ${name.padEnd(28)} precision ${share(s.precision)}  recall ${share(s.recall)}  ` +
    `median delay ${share(s.medianDelayIntervals)} intervals  (${s.alerts} alerts)`;
  const { alerts, live, offline } = section;
  return [
    '',
    'Churn watch',
    `  raised by the service in this run: ${alerts.raised} alerts for ${alerts.alertedGuests.length} guests, ` +
      `${alerts.restored} closed by a return stay, ${alerts.openAlerts.length} still open` +
      (section.scoredAlerts < alerts.openAlerts.length
        ? `, ${section.scoredAlerts} of them on guests with a stay recorded in this run (the ones scored)`
        : ' (the ones scored)'),
    `  against this run's ${section.planted} planted lapsing guests: precision ${share(live.precision)}, ` +
      `recall ${share(live.recall)} (judged on ${section.judgedOn}, the last check-out ${section.lastCheckOut})`,
    ...(section.planted < section.plantedInSimulation
      ? [`  (of ${section.plantedInSimulation} planted, only those with a stay recorded in this run count)`]
      : []),
    `  offline evaluation, ${offline.label}:`,
    score('BG/NBD risk line', offline.report.model),
    score('baseline: no stay in 180 days', offline.report.baseline),
  ];
}
