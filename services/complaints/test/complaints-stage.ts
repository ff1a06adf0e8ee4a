import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Role } from '@loyalty/auth';
import {
  buildEvent,
  eventTypesProducedBy,
  partitionKey,
  sampleEventData,
  type EventData,
  type EventEnvelope,
  type EventType,
} from '@loyalty/contracts';
import {
  TestStage,
  waitUntil,
  type InProcessService,
  type ProbeRecord,
  callHttp,
  type HttpAnswer,
} from '@loyalty/testing';
import { Clock } from '@loyalty/platform';
import { AppModule } from '../src/app.module';
import { ComplaintsConfig } from '../src/config/complaints.config';

export interface Caller {
  roles?: Role[];
  properties?: string[];
  sub?: string;
}

/**
 * Complaints in-process on a suite's own database and topics, with a shared clock offset the tests move
 * to cross SLA deadlines, and helpers to call HTTP, feed events and read what complaints published.
 */
/** A property's business hours: open on weekdays from `opens` to `closes` in `timeZone`, no holidays. */
export function weekdayCalendar(timeZone: string, opens: string, closes: string) {
  const hours = Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, { opens, closes }]),
  );
  return { timeZone, hours, holidays: [] };
}

export class ComplaintsStage {
  /** How far every instance's clock runs ahead of the real one. */
  private offsetMs = 0;
  readonly instances: InProcessService[] = [];
  private watching = false;

  private constructor(readonly stage: TestStage) {}

  static async create(label: string): Promise<ComplaintsStage> {
    return new ComplaintsStage(await TestStage.create(label));
  }

  /** Starts one more instance (same database and consumer group) with its clock on the shared offset. */
  async startInstance(extra: Record<string, string> = {}): Promise<InProcessService> {
    const service = await this.stage.start(AppModule, ComplaintsConfig, {
      COMPLAINTS_SLA_SCAN_INTERVAL_MS: '200',
      ...extra,
    });
    jest.spyOn(service.app.get(Clock), 'now').mockImplementation(() => new Date(Date.now() + this.offsetMs));
    this.instances.push(service);
    if (!this.watching)
      await this.watch(...eventTypesProducedBy('complaints').map((type) => this.stage.topic(type)));
    this.watching = true;
    return service;
  }

  /**
   * Records these topics from their beginning. The service creates its topics at start-up; the broker's
   * metadata can lag behind a new topic for a moment under load, so a refused subscription is retried.
   */
  async watch(...topics: string[]): Promise<void> {
    await waitUntil(
      `the probe to watch ${topics.join(', ')}`,
      () => this.stage.probe.watch(...topics).then(() => true),
      { intervalMs: 250 },
    );
  }

  async stopInstance(service: InProcessService): Promise<void> {
    this.instances.splice(this.instances.indexOf(service), 1);
    await this.stage.stop(service);
  }

  advanceClock(minutes: number): void {
    this.offsetMs += minutes * 60_000;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Runs `act` with every instance's clock set to `instant` (and running on from it), then sets it back. */
  async withClockAt<T>(instant: string, act: () => Promise<T>): Promise<T> {
    const offsetMs = this.offsetMs;
    this.offsetMs = Date.parse(instant) - Date.now();
    try {
      return await act();
    } finally {
      this.offsetMs = offsetMs;
    }
  }

  /** Sets the property's business calendar, as its manager. */
  async setCalendar(propertyId: string, calendar: object): Promise<void> {
    const { status, body } = await this.http('PUT', `/properties/${propertyId}/calendar`, {
      body: calendar,
      roles: ['property-manager'],
    });
    if (status !== 200) throw new Error(`calendar of ${propertyId}: ${status} ${JSON.stringify(body)}`);
  }

  async http<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } & Caller = {},
  ): Promise<HttpAnswer<T>> {
    const service = this.instances[0];
    if (!service) throw new Error('no complaints instance is running');
    const caller = {
      sub: options.sub ?? 'staff-1',
      roles: options.roles ?? ['front-desk'],
      properties: options.properties ?? ['*'],
    };
    return callHttp<T>(service.url, method, path, { caller, body: options.body, headers: options.headers });
  }

  /** Asks to open a complaint over HTTP (a valid front-desk one but for `overrides`) and returns the answer. */
  async request<T = { id: string }>(
    overrides: Record<string, unknown> = {},
    caller: Caller & { headers?: Record<string, string> } = {},
  ) {
    return this.http<T>('POST', '/complaints', {
      body: {
        guestId: randomUUID(),
        propertyId: 'AMS01',
        channel: 'front-desk',
        category: 'cleanliness',
        severity: 'medium',
        description: 'The bathroom had not been cleaned.',
        ...overrides,
      },
      ...caller,
    });
  }

  /** Opens a complaint over HTTP and returns its id. */
  async open(overrides: Record<string, unknown> = {}, caller: Caller = {}): Promise<string> {
    const { status, body } = await this.request(overrides, caller);
    if (status !== 201) throw new Error(`open: ${status} ${JSON.stringify(body)}`);
    return body.id;
  }

  async act(id: string, action: string, body: unknown = {}, caller: Caller = {}) {
    return this.http<Record<string, unknown>>('POST', `/complaints/${id}/${action}`, { body, ...caller });
  }

  event<T extends EventType>(type: T, data: Partial<EventData<T>>): EventEnvelope<T> {
    const full = { ...sampleEventData(type), ...data } as EventData<T>;
    return buildEvent(type, full, {
      source: 'test/complaints',
      subject: (full as { guestId?: string }).guestId,
    });
  }

  async send(...events: EventEnvelope<EventType>[]): Promise<void> {
    for (const event of events) {
      await this.stage.probe.produceJson(this.stage.topic(event.type), [{ key: partitionKey(event), event }]);
    }
  }

  /** Waits until the complaints group has handled everything sent on these topics. */
  async caughtUp(...types: EventType[]): Promise<void> {
    await this.stage.probe.awaitGroupCaughtUp(
      `${this.stage.prefix}complaints`,
      types.map((type) => this.stage.topic(type)),
      { timeoutMs: 60_000 },
    );
  }

  published<T extends EventType>(type: T, complaintId?: string): EventData<T>[] {
    return this.stage.probe
      .seen(this.stage.topic(type))
      .map((record: ProbeRecord) => record.json<{ data: EventData<T> }>().data)
      .filter(
        (data) => complaintId === undefined || (data as { complaintId?: string }).complaintId === complaintId,
      );
  }

  async awaitPublished<T extends EventType>(
    type: T,
    count: number,
    complaintId?: string,
  ): Promise<EventData<T>[]> {
    return waitUntil(`${count} ${type} for ${complaintId ?? 'any complaint'}`, () => {
      const found = this.published(type, complaintId);
      return found.length >= count ? found : undefined;
    });
  }

  /** Until `count` connections to the suite's database wait for a lock another one holds. */
  async untilWaiting(count: number): Promise<void> {
    await waitUntil(`${count} request(s) to wait for a lock`, async () => {
      const [{ waiting }] = await this.stage.db.query<{ waiting: number }>(
        `select count(*)::int as waiting from pg_stat_activity
         where datname = current_database() and cardinality(pg_blocking_pids(pid)) > 0`,
      );
      return waiting >= count;
    });
  }

  /**
   * Runs `act` while another connection holds a transaction open that ran `statements`, as a command in
   * flight does until it commits; commits it once `waiting` requests wait (for it, or for one another), and
   * returns what `act` answers.
   */
  async whileAnotherCommits<T>(
    statements: [string, unknown[]][],
    act: () => Promise<T>,
    waiting = 1,
  ): Promise<T> {
    const other = new Client({ connectionString: this.stage.db.url });
    await other.connect();
    try {
      await other.query('begin');
      for (const [sql, params] of statements) await other.query(sql, params);
      const acting = act();
      await this.untilWaiting(waiting);
      await other.query('commit');
      return await acting;
    } finally {
      await other.end();
    }
  }

  /**
   * What `act` answers within `withinMs` while another connection holds a transaction open that ran
   * `statements`, or `'waited'` when it has not answered by then (it waits for what the other holds). The
   * other then rolls back.
   */
  async answerWhileHeld<T>(
    statements: [string, unknown[]][],
    act: () => Promise<T>,
    withinMs = 3_000,
  ): Promise<T | 'waited'> {
    const other = new Client({ connectionString: this.stage.db.url });
    await other.connect();
    try {
      await other.query('begin');
      for (const [sql, params] of statements) await other.query(sql, params);
      return await Promise.race([
        act(),
        new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), withinMs)),
      ]);
    } finally {
      await other.query('rollback');
      await other.end();
    }
  }

  async close(): Promise<void> {
    this.instances.length = 0;
    await this.stage.close();
  }
}
