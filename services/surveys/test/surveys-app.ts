import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { mintToken, type Role } from '@loyalty/auth';
import { DEV_JWT_SECRET } from '@loyalty/config';
import {
  buildEvent,
  partitionKey,
  sampleEventData,
  validateEvent,
  type EventData,
  type EventEnvelope,
  type EventType,
} from '@loyalty/contracts';
import { TestStage, waitUntil, type InProcessService, callHttp, type HttpAnswer } from '@loyalty/testing';
import { Clock } from '@loyalty/platform';
import { AppModule } from '../src/app.module';
import { erasureKeyOf, SurveysConfig } from '../src/config/surveys.config';
import { erasedStayIdOf } from '../src/domain/erased-stay';
import { SEND_HOURS } from '../src/domain/invitation-timing';
import type { SendReport } from '../src/invitations/invitation-sender';

const CONSUMED: EventType[] = [
  'stay-recorded',
  'stay-adjusted',
  'guest-registered',
  'guest-updated',
  'guest-merged',
  'guest-erased',
];
const PUBLISHED: EventType[] = ['survey-invited', 'survey-completed', 'detractor-identified'];

type Guest = EventEnvelope<'guest-registered'>;

/** A send window of the whole day, for tests that send at the real hour (which may be night somewhere). */
export const SEND_ALL_DAY = { SURVEYS_SEND_FIRST_HOUR: '0', SURVEYS_SEND_LAST_HOUR: '23' };
// Named on every start: the variables of an earlier start stay in process.env.
const SEND_IN_DAYTIME = {
  SURVEYS_SEND_FIRST_HOUR: String(SEND_HOURS.earliest),
  SURVEYS_SEND_LAST_HOUR: String(SEND_HOURS.latest),
};

/** The surveys service in-process on a TestStage, with helpers to feed profiles' events and call HTTP. */
export class SurveysApp {
  service!: InProcessService;

  private constructor(readonly stage: TestStage) {}

  static async start(label: string, env: Record<string, string> = {}): Promise<SurveysApp> {
    const app = new SurveysApp(await TestStage.create(label));
    await app.restart(0, env);
    await app.stage.probe.watch(
      ...[...PUBLISHED, 'stay-recorded.dlq', 'stay-adjusted.dlq'].map((type) => app.stage.topic(type)),
    );
    return app;
  }

  /**
   * Starts the service (again): same database and topics, a fresh process state. The scheduler's timer
   * is off unless asked for: tests send what is due at chosen instants over HTTP. `env` adds variables.
   */
  async restart(schedulerIntervalMs = 0, env: Record<string, string> = {}): Promise<void> {
    if (this.service) await this.stage.stop(this.service);
    this.service = await this.stage.start(AppModule, SurveysConfig, {
      SURVEYS_SCHEDULER_INTERVAL_MS: String(schedulerIntervalMs),
      // The sample stays checked out in 2025: without a clock set, every one would be too late.
      SURVEYS_MAX_DAYS_AFTER_CHECKOUT: '0',
      ...SEND_IN_DAYTIME,
      ...env,
    });
  }

  async stop(): Promise<void> {
    await this.stage.stop(this.service);
  }

  /** Makes the service's clock read `at` from now on. */
  setClock(at: Date): void {
    jest.spyOn(this.service.app.get(Clock), 'now').mockReturnValue(at);
  }

  /** A reachable guest (email on file) in `language`, as profiles announces it. */
  guest(attributes: EventData<'guest-registered'>['attributes'] = {}): Guest {
    const guestId = randomUUID();
    return this.event('guest-registered', {
      guestId,
      attributes: { emailOnFile: true, phoneOnFile: false, preferredLanguage: 'en-GB', ...attributes },
    });
  }

  stay(guestId: string, overrides: Partial<EventData<'stay-recorded'>> = {}): EventEnvelope<'stay-recorded'> {
    return this.event('stay-recorded', {
      guestId,
      stayId: randomUUID(),
      reservationId: `R-${randomUUID().slice(0, 8)}`,
      ...overrides,
    });
  }

  event<T extends EventType>(type: T, data: Partial<EventData<T>>): EventEnvelope<T> {
    const payload = { ...sampleEventData(type), ...data } as EventData<T>;
    const subject =
      (payload as { guestId?: string; survivorId?: string }).guestId ??
      (payload as { survivorId?: string }).survivorId;
    return buildEvent(type, payload, { source: 'test/profiles', ...(subject ? { subject } : {}) });
  }

  /** Sends the events, keyed as their producers key them, and waits until surveys has handled all of them. */
  async feed(...events: EventEnvelope<EventType>[]): Promise<void> {
    for (const event of events) {
      await this.stage.probe.produceJson(this.stage.topic(event.type), [{ key: partitionKey(event), event }]);
    }
    await this.caughtUp();
  }

  /** As `feed`, with the service's clock reading `at` while it handles the events. */
  async feedAt(at: Date, ...events: EventEnvelope<EventType>[]): Promise<void> {
    const clock = jest.spyOn(this.service.app.get(Clock), 'now').mockReturnValue(at);
    try {
      await this.feed(...events);
    } finally {
      clock.mockRestore();
    }
  }

  /**
   * Sends events of one type in one request: those of one key (one guest, or one stay for a booking event)
   * share a partition, so they reach surveys' handler as one batch, in the order given.
   */
  async feedAsOneBatch(...events: EventEnvelope<EventType>[]): Promise<void> {
    await this.stage.probe.produceJson(
      this.stage.topic(events[0].type),
      events.map((event) => ({ key: partitionKey(event), event })),
    );
    await this.caughtUp();
  }

  private async caughtUp(): Promise<void> {
    await this.stage.probe.awaitGroupCaughtUp(
      `${this.stage.prefix}surveys`,
      CONSUMED.map((type) => this.stage.topic(type)),
      { timeoutMs: 30_000 },
    );
  }

  async sendDue(asOf: Date): Promise<SendReport> {
    const { status, body } = await this.http<SendReport>(
      'POST',
      `/invitations/send-due?asOf=${asOf.toISOString()}`,
    );
    if (status !== 200) throw new Error(`send-due: ${status} ${JSON.stringify(body)}`);
    return body;
  }

  /** The key erasure hashes a stay's ids under, for tests that call `GuestPrivacy` themselves. */
  get erasureKey(): string {
    return erasureKeyOf(this.service.app.get(SurveysConfig));
  }

  /** The invitation row of a stay, as stored, also once its guest's erasure replaced the stay's id. */
  async invitation(stayId: string): Promise<Record<string, unknown> | undefined> {
    const erasedId = erasedStayIdOf(stayId, this.erasureKey);
    const [row] = await this.stage.db.query('select * from invitations where stay_id = any($1::uuid[])', [
      [stayId, erasedId],
    ]);
    return row;
  }

  /** What surveys keeps of a guest, as stored. */
  async guestRow(guestId: string): Promise<Record<string, unknown>> {
    const [row] = await this.stage.db.query('select * from survey_guests where guest_id = $1', [guestId]);
    return row;
  }

  /**
   * How many versions of the rows whose `column` is one of `ids`, dead ones too, carry a MultiXact xmax
   * (`HEAP_XMAX_IS_MULTI`): a row locked by one (sub)transaction and updated by another of the same
   * transaction gets one. Read from the pages (pageinspect), not through the table: a scan could prune
   * the dead versions, which hold the MultiXact an update leaves.
   */
  async multiXactVersions(table: string, column: string, ids: readonly string[]): Promise<number> {
    await this.stage.db.query('create extension if not exists pageinspect');
    const [{ versions }] = await this.stage.db.query<{ versions: number }>(
      `select count(*)::int as versions
       from generate_series(0, pg_relation_size($1::text::regclass) / current_setting('block_size')::int - 1) as block,
         lateral heap_page_item_attrs(get_raw_page($1::text, block::int), $1::text::regclass) as item
       where item.t_infomask & 4096 <> 0 -- HEAP_XMAX_IS_MULTI
         and encode(item.t_attrs[(select attnum from pg_attribute where attrelid = $1::text::regclass and attname = $2)],
                    'hex')::uuid = any($3::uuid[])`,
      [table, column, ids],
    );
    return versions;
  }

  /** Runs `work` in a transaction of the service's own, as its consumers run their handlers. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.service.app.get(DataSource).transaction(work);
  }

  /** A transaction of its own that ran `sql` and is left open, holding what it locked. */
  async openTransaction(sql: string, params: unknown[]): Promise<Client> {
    const client = new Client({ connectionString: this.stage.db.url });
    await client.connect();
    await client.query('begin');
    await client.query(sql, params);
    return client;
  }

  /** Another transaction holding the guest's row. */
  holdGuest(guest: Guest): Promise<Client> {
    return this.openTransaction('select 1 from survey_guests where guest_id = $1 for update', [
      guest.data.guestId,
    ]);
  }

  /** How many of the suite's connections wait for a lock. */
  async lockWaiters(): Promise<number> {
    const [{ waiting }] = await this.stage.db.query<{ waiting: number }>(
      `select count(*)::int as waiting from pg_stat_activity
       where wait_event_type = 'Lock' and datname = current_database()`,
    );
    return waiting;
  }

  /** How many connections wait for a lock `holder` (a client, or a backend's pid) holds. */
  async waitingFor(holder: Client | number): Promise<number> {
    const pid =
      typeof holder === 'number'
        ? holder
        : (await holder.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
    const [{ waiting }] = await this.stage.db.query<{ waiting: number }>(
      'select count(*)::int as waiting from pg_stat_activity where pg_blocking_pids(pid) @> array[$1::int]',
      [pid],
    );
    return waiting;
  }

  /** The pids of the backends `pid` waits for, in order. */
  async blockersOf(pid: number): Promise<number[]> {
    const [{ pids }] = await this.stage.db.query<{ pids: number[] }>(
      'select array(select unnest(pg_blocking_pids($1)) order by 1) as pids',
      [pid],
    );
    return pids;
  }

  /**
   * Runs `work` in a transaction of the service's own that is left open until `release` is called: its
   * backend's pid, whether `work` is done, and the transaction's end.
   */
  holdOpen(work: (manager: EntityManager) => Promise<unknown>): {
    pid: Promise<number>;
    worked: () => boolean;
    release: () => void;
    done: Promise<void>;
  } {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let pidOf!: (pid: number) => void;
    const pid = new Promise<number>((resolve) => (pidOf = resolve));
    let worked = false;
    const done = this.transaction(async (manager) => {
      const [row]: { pid: number }[] = await manager.query('select pg_backend_pid() as pid');
      pidOf(row.pid);
      await work(manager);
      worked = true;
      await released;
    });
    return { pid, worked: () => worked, release, done };
  }

  /**
   * Postgres looks for a deadlock once in each wait, deadlock_timeout after it began. Once the waits begun
   * so far are past that look, a cycle closed later is found by the transaction whose wait closes it, and
   * that one fails: which one does is no longer up to timing.
   */
  async pastDeadlockChecks(): Promise<void> {
    const [{ ms }] = await this.stage.db.query<{ ms: number }>(
      `select setting::int as ms from pg_settings where name = 'deadlock_timeout'`,
    );
    await new Promise((resolve) => setTimeout(resolve, ms + 1000));
  }

  records<T extends EventType>(type: T): EventData<T>[] {
    return this.stage.probe.seen(this.stage.topic(type)).map((r) => r.json<{ data: EventData<T> }>().data);
  }

  /** The `survey-invited` of a stay, once the relay has published it. */
  async invitedFor(stayId: string): Promise<EventData<'survey-invited'>> {
    return waitUntil(`survey-invited for stay ${stayId}`, () =>
      this.records('survey-invited').find((data) => data.stay.stayId === stayId),
    );
  }

  async awaitRecord<T extends EventType>(type: T, surveyId: string): Promise<EventData<T>> {
    return waitUntil(`${type} of survey ${surveyId}`, () =>
      this.records(type).find((data) => (data as { surveyId: string }).surveyId === surveyId),
    );
  }

  async answer(
    token: string,
    answers: Record<string, unknown>,
  ): Promise<HttpAnswer<Record<string, unknown>>> {
    return this.http('POST', `/survey/${encodeURIComponent(token)}/answers`, {
      body: { answers },
      anonymous: true,
    });
  }

  async http<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { body?: unknown; roles?: Role[]; properties?: string[]; anonymous?: boolean } = {},
  ): Promise<HttpAnswer<T>> {
    const caller = options.anonymous
      ? null
      : { sub: 'staff-1', roles: options.roles ?? ['chain-admin'], properties: options.properties ?? ['*'] };
    return callHttp<T>(this.service.url, method, path, { caller, body: options.body });
  }

  /**
   * A page of `GET /invitations`, as a chain admin unless told: the body, and the `Next-Cursor` header (null
   * if none).
   */
  async invitationPage(
    query: string,
    { roles = ['chain-admin'], properties = ['*'] }: { roles?: Role[]; properties?: string[] } = {},
  ): Promise<{ status: number; body: unknown; nextCursor: string | null }> {
    const caller = { sub: 'staff-1', roles, properties };
    const response = await fetch(`${this.service.url}/invitations?${query}`, {
      headers: { authorization: `Bearer ${mintToken(caller, DEV_JWT_SECRET, '5m')}` },
    });
    return {
      status: response.status,
      body: await response.json(),
      nextCursor: response.headers.get('next-cursor'),
    };
  }

  async close(): Promise<void> {
    jest.restoreAllMocks();
    await this.stage.close();
  }
}

/** The guests sorted by id, the order in which surveys locks their rows. */
export const inIdOrder = (guests: Guest[]): Guest[] =>
  [...guests].sort((a, b) => (a.data.guestId < b.data.guestId ? -1 : 1));

/** Stays as the consumer hands them to the planner. */
export const validatedStays = (stays: EventEnvelope<'stay-recorded'>[]) =>
  stays.map((stay) => validateEvent(JSON.parse(JSON.stringify(stay)), 'stay-recorded'));
