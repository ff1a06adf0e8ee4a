import { randomUUID } from 'node:crypto';
import type { Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TokenClaims } from '@loyalty/auth';
import {
  buildEvent,
  partitionKey,
  sampleEventData,
  TIERS,
  validateEvent,
  type EventData,
  type EventEnvelope,
  type EventType,
  type Tier,
  type ValidatedEvent,
} from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import {
  TestStage,
  waitUntil,
  type InProcessService,
  callHttp,
  type HttpAnswer,
  recording,
} from '@loyalty/testing';
import { Clock } from '@loyalty/platform';
import { AppModule } from '../src/app.module';
import { ChurnWatcherConfig } from '../src/config/churn-watcher.config';
import type { JobReport } from '../src/watch/churn-scheduler.service';
import { ChurnConsumer } from '../src/watch/churn.consumer';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Day 0 of every test's calendar, at midnight UTC; the service's clock is moved along it. */
const DAY_ZERO = Date.parse('2031-03-02T00:00:00Z');
const CONSUMED: EventType[] = [
  'stay-recorded',
  'stay-adjusted',
  'guest-merged',
  'guest-erased',
  'guest-registered',
  'guest-updated',
  'complaint-opened',
  'complaint-closed',
  'complaint-reopened',
  'survey-completed',
  'tier-changed',
];

/** Who calls the API unless a test says otherwise. */
const CHAIN_ADMIN: TokenClaims = { sub: 'analyst-1', roles: ['chain-admin'], properties: ['*'] };

export function dayDate(day: number): string {
  return new Date(DAY_ZERO + day * DAY_MS).toISOString().slice(0, 10);
}

/** The churn-watcher in-process on its own database and topics, with a clock the test moves. */
export class ChurnStage {
  private now!: number;

  private service!: InProcessService;

  private constructor(readonly stage: TestStage) {
    this.at(0);
  }

  static async start(label: string): Promise<ChurnStage> {
    const churn = new ChurnStage(await TestStage.create(label));
    await churn.startService();
    await churn.stage.probe.watch(
      churn.stage.topic('visit-frequency-dropped'),
      churn.stage.topic('visit-frequency-restored'),
    );
    return churn;
  }

  /** Stops the service and starts a new instance on the same database and topics. */
  async restart(): Promise<void> {
    await this.stage.stop(this.service);
    await this.startService();
  }

  private async startService(): Promise<void> {
    this.service = await this.stage.start(AppModule, ChurnWatcherConfig, {
      CHURN_SCHEDULER_POLL_MS: '0',
      CHURN_MIN_SEGMENT_GUESTS: '1000000',
    });
    jest.spyOn(this.service.app.get(Clock), 'now').mockImplementation(() => new Date(this.now));
  }

  /** One of the running service's providers, to drive it below its consumers. */
  provider<T>(token: Type<T>): T {
    return this.service.app.get(token);
  }

  /** Moves the service's clock to `utcHour` (noon unless given) of `day`. */
  at(day: number, utcHour = 12): this {
    this.now = DAY_ZERO + day * DAY_MS + utcHour * HOUR_MS;
    return this;
  }

  /**
   * A stay of the guest departing on `departureDay`, at `property` when given (else the sample's
   * property, in Europe/Amsterdam).
   */
  stay(
    guestId: string,
    departureDay: number,
    property: { propertyId?: string; timeZone?: string } = {},
  ): EventEnvelope<'stay-recorded'> {
    return this.event('stay-recorded', {
      guestId,
      ...property,
      stayId: randomUUID(),
      reservationId: `R-${randomUUID().slice(0, 8)}`,
      arrival: dayDate(departureDay - 2),
      departure: dayDate(departureDay),
      nights: 2,
      checkedOutAt: `${dayDate(departureDay)}T10:00:00Z`,
      channel: 'corporate',
    });
  }

  /**
   * The property's adjustment of the stay, leaving it `nights` (v2), posted at 09:00 UTC on day `posted`
   * or at the instant `posted`.
   */
  adjusted(
    stay: EventEnvelope<'stay-recorded'>,
    nights: number,
    posted: number | string,
  ): EventEnvelope<'stay-adjusted'> {
    const { propertyId, reservationId } = stay.data;
    return buildEvent(
      'stay-adjusted',
      {
        ...sampleEventData('stay-adjusted'),
        propertyId,
        reservationId,
        adjustmentId: `ADJ-${randomUUID().slice(0, 8)}`,
        reason: 'correction',
        nights,
        adjustedAt: typeof posted === 'number' ? `${dayDate(posted)}T09:00:00.000Z` : posted,
      },
      { source: 'pms/test', propertyId },
    );
  }

  /** The guest's complaint reopened at 09:00 on `day`, after its unanswered follow-up closed it. */
  reopened(guestId: string, complaintId: string, day: number): EventEnvelope<'complaint-reopened'> {
    return this.event('complaint-reopened', {
      guestId,
      complaintId,
      from: 'closed',
      reopenedAt: `${dayDate(day)}T09:00:00.000Z`,
      resolveBy: `${dayDate(day + 3)}T09:00:00.000Z`,
    });
  }

  /** The guest's survey answered with `nps` at 09:00 on `day`. */
  answered(guestId: string, nps: number, day: number): EventEnvelope<'survey-completed'> {
    return this.event('survey-completed', {
      guestId,
      surveyId: randomUUID(),
      nps,
      classification: nps <= 6 ? 'detractor' : nps >= 9 ? 'promoter' : 'passive',
      completedAt: `${dayDate(day)}T09:00:00.000Z`,
    });
  }

  /** The guest's tier changed at 09:00 on `day`, qualified for an upgrade, missed for a downgrade. */
  tierChanged(guestId: string, from: Tier, to: Tier, day: number): EventEnvelope<'tier-changed'> {
    return this.event('tier-changed', {
      guestId,
      from,
      to,
      reason: TIERS.indexOf(to) > TIERS.indexOf(from) ? 'qualified' : 'requalification-missed',
      changedAt: `${dayDate(day)}T09:00:00.000Z`,
    });
  }

  /** Profiles' news that the guest gave (`granted`) or withdrew consent to profiling at 09:00 on `day`. */
  profiling(guestId: string, granted: boolean, day: number): EventEnvelope<'guest-updated'> {
    return this.event('guest-updated', {
      guestId,
      changes: { profilingConsent: granted },
      updatedAt: `${dayDate(day)}T09:00:00.000Z`,
    });
  }

  event<T extends EventType>(type: T, data: Partial<EventData<T>>): EventEnvelope<T> {
    const subject =
      (data as { guestId?: string; survivorId?: string }).guestId ??
      (data as { survivorId?: string }).survivorId;
    return buildEvent(type, { ...sampleEventData(type), ...data } as EventData<T>, {
      source: 'test/churn',
      subject,
    });
  }

  /** Sends the events and waits until the watcher has handled them. */
  async send(...events: EventEnvelope<EventType>[]): Promise<void> {
    for (const event of events) {
      await this.stage.probe.produceJson(this.stage.topic(event.type), [{ key: partitionKey(event), event }]);
    }
    await this.stage.probe.awaitGroupCaughtUp(
      `${this.stage.prefix}churn-watcher`,
      CONSUMED.map((type) => this.stage.topic(type)),
      // Generous: the machine is shared, and a handler's transaction can wait its turn.
      { timeoutMs: 150_000 },
    );
  }

  /**
   * Hands the events to one of the consumer's batch handlers as one batch, in one transaction as the
   * transport does (without its inbox and outbox): the statements the handler sent, and what it published.
   */
  async inOneBatch<T extends EventType>(
    type: T,
    events: EventEnvelope<T>[],
    handle: (consumer: ChurnConsumer, batch: ValidatedEvent<T>[], ctx: EventContext) => Promise<void>,
  ): Promise<{ statements: string[]; published: EventEnvelope<EventType>[] }> {
    const statements: string[] = [];
    const batch = events.map((event) => validateEvent(JSON.parse(JSON.stringify(event)), type));
    const published = await this.provider(DataSource).transaction(async (manager) => {
      const delivery = { topic: this.stage.topic(type), partition: 0, offset: '0', attempt: 1 };
      const ctx = new EventContext(recording(manager, statements), delivery, 'test/churn');
      await handle(this.provider(ChurnConsumer), batch, ctx);
      return ctx.pending;
    });
    return { statements, published };
  }

  /** Six guests per cadence staying every `cadence` days until `to`, so the model has a chain to learn from. */
  async regulars(cadences: number[], to: number): Promise<void> {
    const stays = cadences.flatMap((cadence) =>
      Array.from({ length: 6 }, (_, i) => {
        const guestId = randomUUID();
        const days: number[] = [];
        for (let day = i; day <= to; day += cadence) days.push(day);
        return days.map((day) => this.stay(guestId, day));
      }).flat(),
    );
    await this.send(...stays);
  }

  runDue(): Promise<JobReport[]> {
    return this.operation('run-due');
  }

  runNow(): Promise<JobReport[]> {
    return this.operation('run-now');
  }

  private async operation(name: 'run-due' | 'run-now'): Promise<JobReport[]> {
    const { status, body } = await this.http<{ reports: JobReport[] }>('POST', `/churn/operations/${name}`);
    if (status !== 200) throw new Error(`${name}: ${status} ${JSON.stringify(body)}`);
    return body.reports;
  }

  records<T extends EventType>(type: T, guestId: string): EventData<T>[] {
    return this.stage.probe
      .seen(this.stage.topic(type))
      .map((record) => record.json<{ data: EventData<T> }>().data)
      .filter((data) => (data as { guestId?: string }).guestId === guestId);
  }

  async awaitRecords<T extends EventType>(type: T, count: number, guestId: string): Promise<EventData<T>[]> {
    return waitUntil(`${count} ${type} for ${guestId}`, () => {
      const found = this.records(type, guestId);
      return found.length >= count ? found : undefined;
    });
  }

  async http<T = Record<string, unknown>>(
    method: string,
    path: string,
    caller: TokenClaims = CHAIN_ADMIN,
  ): Promise<HttpAnswer<T>> {
    return callHttp<T>(this.service.url, method, path, { caller });
  }

  close(): Promise<void> {
    return this.stage.close();
  }
}
