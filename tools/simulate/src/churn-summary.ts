import type { EventType } from '@loyalty/contracts';
import { evaluateDetection, type DetectionScore, type EvaluationReport } from '@loyalty/lifetime/evaluation';
import type { Simulation, SimulationOptions } from '@loyalty/simulator';

/** The churn-watcher events the summary reads. */
export const CHURN_SUMMARY_TYPES: EventType[] = ['visit-frequency-dropped', 'visit-frequency-restored'];

export interface ChurnAlerts {
  raised: number;
  restored: number;
  /** The guests alerted during the run. */
  alertedGuests: string[];
}

export class ChurnTally {
  private raised = 0;
  private restored = 0;
  private readonly guests = new Set<string>();

  add(type: EventType, data: Record<string, unknown>): void {
    if (type === 'visit-frequency-restored') this.restored++;
    if (type !== 'visit-frequency-dropped') return;
    this.raised++;
    this.guests.add(String(data.guestId));
  }

  alerts(): ChurnAlerts {
    return { raised: this.raised, restored: this.restored, alertedGuests: [...this.guests] };
  }
}

/** How the run's own alerts compare with the planted lapsing guests (their profile ids). */
export function scoreAlerts(alerts: ChurnAlerts, plantedGuests: ReadonlySet<string>) {
  const hits = alerts.alertedGuests.filter((guest) => plantedGuests.has(guest)).length;
  return {
    precision: alerts.alertedGuests.length ? hits / alerts.alertedGuests.length : null,
    recall: plantedGuests.size ? hits / plantedGuests.size : null,
  };
}

export interface ChurnSection {
  alerts: ChurnAlerts;
  live: ReturnType<typeof scoreAlerts>;
  planted: number;
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
  const plantedGuests = new Set<string>();
  for (const { topic, value } of log) {
    if (!topic.endsWith('stay-recorded')) continue;
    const data = (value as { data?: { guestId: string; propertyId: string; reservationId: string } }).data;
    const ref = data && refOf.get(`${data.propertyId}:${data.reservationId}`);
    if (data && ref && lapsing.has(ref)) plantedGuests.add(data.guestId);
  }
  const days = Math.max(options.days, EVALUATION_DAYS);
  return {
    alerts,
    live: scoreAlerts(alerts, plantedGuests),
    planted: lapsing.size,
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
      `${alerts.restored} closed by a return stay`,
    `  against this run's ${section.planted} planted lapsing guests: precision ${share(live.precision)}, ` +
      `recall ${share(live.recall)} (judged on ${section.judgedOn}, the last check-out ${section.lastCheckOut})`,
    `  offline evaluation, ${offline.label}:`,
    score('BG/NBD risk line', offline.report.model),
    score('baseline: no stay in 180 days', offline.report.baseline),
  ];
}
