import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Role } from '@loyalty/auth';
import {
  buildEvent,
  partitionKey,
  sampleEventData,
  type EventData,
  type EventEnvelope,
  type EventType,
} from '@loyalty/contracts';
import {
  OnStage,
  TestStage,
  waitUntil,
  type InProcessService,
  type ProbeRecord,
  callHttp,
  type HttpAnswer,
} from '@loyalty/testing';
import { AppModule } from '../src/app.module';
import { PointsLedgerConfig } from '../src/config/points-ledger.config';

const DAY_MS = 86_400_000;

export function localDate(from: Date, days: number): string {
  return new Date(from.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

interface Reconciliation {
  accounts: number;
  differences: unknown[];
  parkedAdjustments: {
    count: number;
    oldestParkedAt: string | null;
    awaitingReactivation: { count: number; oldestParkedAt: string | null };
    onClosedAccounts: { count: number; oldestParkedAt: string | null };
  };
  discardedAdjustments: { count: number; lastDiscardedAt: string | null };
}

/** The ledger in-process on a TestStage (its own database and topics), with helpers to feed events and call HTTP. */
export class LedgerApp extends OnStage {
  private constructor(
    stage: TestStage,
    readonly service: InProcessService,
  ) {
    super(stage);
  }

  static async start(label: string, watch: EventType[] = []): Promise<LedgerApp> {
    const stage = await TestStage.create(label);
    const service = await stage.start(AppModule, PointsLedgerConfig, { LEDGER_JOB_INTERVAL_MS: '0' });
    const app = new LedgerApp(stage, service);
    if (watch.length > 0) await app.probe.watch(...watch.map((type) => app.topic(type)));
    return app;
  }

  /**
   * A three-night stay of `guestId` at the sample property, departing today (so its qualifying credits
   * are this year's), on its own reservation unless one is given. Its check-out is dated past the lock
   * period, so its points are available at once.
   */
  stay(guestId: string, overrides: Partial<EventData<'stay-recorded'>> = {}): EventEnvelope<'stay-recorded'> {
    const today = new Date();
    return buildEvent(
      'stay-recorded',
      {
        ...sampleEventData('stay-recorded'),
        arrival: localDate(today, -3),
        departure: localDate(today, 0),
        nights: 3,
        checkedOutAt: new Date(today.getTime() - 4 * DAY_MS).toISOString(),
        guestId,
        stayId: randomUUID(),
        reservationId: `R-${randomUUID().slice(0, 8)}`,
        ...overrides,
      },
      { source: 'loyalty/profiles', subject: guestId },
    );
  }

  /** A stay of `guestId` of `nights` nights departing today, so that they count in this year. */
  stayOfNights(guestId: string, nights: number): EventEnvelope<'stay-recorded'> {
    const today = new Date();
    return this.stay(guestId, { arrival: localDate(today, -nights), departure: localDate(today, 0), nights });
  }

  event<T extends EventType>(type: T, data: Partial<EventData<T>>, subject?: string): EventEnvelope<T> {
    return buildEvent(type, { ...sampleEventData(type), ...data } as EventData<T>, {
      source: 'test/ledger',
      ...(subject ? { subject } : {}),
    });
  }

  /** An adjustment of `stay` posted `daysAgo`, of its room revenue in EUR, with its own adjustment id. */
  adjustment(
    stay: EventEnvelope<'stay-recorded'>,
    reason: EventData<'stay-adjusted'>['reason'],
    change: { room?: number; nights?: number; daysAgo: number },
  ): EventEnvelope<'stay-adjusted'> {
    const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
    return this.event('stay-adjusted', {
      propertyId: stay.data.propertyId,
      reservationId: stay.data.reservationId,
      adjustmentId: `ADJ-${randomUUID().slice(0, 8)}`,
      reason,
      revenueDelta: { room: eur(change.room ?? 0), foodAndBeverage: eur(0), other: eur(0) },
      adjustedAt: new Date(Date.now() - change.daysAgo * DAY_MS).toISOString(),
      ...(change.nights === undefined ? {} : { nights: change.nights }),
    });
  }

  /** Sends adjustments as the property does, keyed by reservation (so they arrive in the order sent), and waits until they are handled. */
  async sendAdjustments(...adjustments: EventEnvelope<'stay-adjusted'>[]): Promise<void> {
    await this.probe.produceJson(
      this.topic('stay-adjusted'),
      adjustments.map((event) => ({ key: partitionKey(event), event })),
    );
    await this.caughtUp('stay-adjusted');
  }

  async send(...events: EventEnvelope<EventType>[]): Promise<void> {
    for (const event of events) {
      await this.probe.produceJson(this.topic(event.type), [{ key: partitionKey(event), event }]);
    }
  }

  /** Waits until every message sent on these topics has been handled (committed by the ledger's group). */
  async caughtUp(...types: EventType[]): Promise<void> {
    await this.probe.awaitGroupCaughtUp(
      `${this.prefix}points-ledger`,
      types.map((type) => this.topic(type)),
      { timeoutMs: 60_000 },
    );
  }

  records<T extends EventType>(type: T, guestId?: string): EventData<T>[] {
    return this.probe
      .seen(this.topic(type))
      .map((record: ProbeRecord) => record.json<{ data: EventData<T> }>().data)
      .filter((data) => guestId === undefined || (data as { guestId?: string }).guestId === guestId);
  }

  async awaitRecords<T extends EventType>(type: T, count: number, guestId?: string): Promise<EventData<T>[]> {
    return waitUntil(`${count} ${type} for ${guestId ?? 'anyone'}`, () => {
      const found = this.records(type, guestId);
      return found.length >= count ? found : undefined;
    });
  }

  async http<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: {
      body?: unknown;
      roles?: Role[];
      properties?: string[];
      headers?: Record<string, string>;
      staffId?: string;
    } = {},
  ): Promise<HttpAnswer<T>> {
    const caller = {
      sub: options.staffId ?? 'staff-1',
      roles: options.roles ?? ['chain-admin'],
      properties: options.properties ?? ['*'],
    };
    return callHttp<T>(this.service.url, method, path, {
      caller,
      body: options.body,
      headers: options.headers,
    });
  }

  /**
   * Another transaction holding the row locks `sql` takes, until `release` commits it (once). `waiting`
   * returns once that many sessions of this database wait for a lock: right while jobs are off and a
   * file's tests run one at a time, as here. `pid` is the holder's backend.
   */
  async holdRows(sql: string, params: unknown[]) {
    const holder = new Client({ connectionString: this.db.url });
    await holder.connect();
    await holder.query('begin');
    await holder.query(sql, params);
    let released = false;
    return {
      pid: async (): Promise<number> => (await holder.query('select pg_backend_pid() as pid')).rows[0].pid,
      waiting: (count: number) =>
        waitUntil(`${count} sessions waiting for a lock`, async () => {
          const waiters = await this.db.query(
            `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
          );
          return waiters.length >= count || undefined;
        }),
      release: async () => {
        if (released) return;
        released = true;
        await holder.query('commit');
        await holder.end();
      },
    };
  }

  async balance(guestId: string): Promise<Record<string, unknown> & { available: number; balance: number }> {
    const { status, body } = await this.http<{ available: number; balance: number }>(
      'GET',
      `/accounts/${guestId}`,
    );
    if (status !== 200) throw new Error(`balance of ${guestId}: ${status} ${JSON.stringify(body)}`);
    return body;
  }

  /** The run's report: `accounts` it worked on, or `stays` for `apply-parked-adjustments`. */
  async runJob(job: string, asOf: Date): Promise<{ ran: boolean; accounts?: number; stays?: number }> {
    const { status, body } = await this.http<{ ran: boolean; accounts?: number; stays?: number }>(
      'POST',
      `/operations/jobs/${job}?asOf=${asOf.toISOString()}`,
    );
    if (status !== 200) throw new Error(`job ${job}: ${status} ${JSON.stringify(body)}`);
    return body;
  }

  /** The thresholds of the milestones paid to a guest's account, in the order they were paid. */
  async milestonesPaid(guestId: string): Promise<number[]> {
    const rows = await this.db.query<{ threshold: number }>(
      `select (m ->> 'threshold')::int as threshold from ledger_entries e
         cross join jsonb_array_elements(e.earn -> 'milestones') m
       where e.account_id = (select id from accounts where guest_id = $1) order by e.sequence`,
      [guestId],
    );
    return rows.map((row) => row.threshold);
  }

  async reconcile(): Promise<Reconciliation> {
    return (await this.http<Reconciliation>('GET', '/operations/reconciliation')).body;
  }

  async close(): Promise<void> {
    await this.stage.close();
  }
}
