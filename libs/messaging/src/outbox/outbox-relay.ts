import { Client } from 'pg';
import { CONNECTION_LIVENESS } from '@loyalty/persistence';
import type { ProducerPort } from '../kafka/broker-client';
import { recordBytes } from '../kafka/record-size';

export interface RelaySettings {
  databaseUrl: string;
  batchSize: number;
  /**
   * Bytes per send. Rows written together share keys, so a whole batch can land in one partition, and
   * the broker refuses a partition's batch above its message.max.bytes (1 MiB by default) for good.
   */
  maxSendBytes: number;
  /** Fallback poll when no notification arrives (a notification can be missed across a reconnect). */
  pollIntervalMs: number;
  /** Published rows are kept this long for forensics, then pruned. */
  retainPublishedMs: number;
  /**
   * Inbox rows (events handled) are kept this long, then pruned: longer than any topic keeps its events,
   * so an event a consumer can still be given again (a redelivery, a group reset, a type moved into a
   * lane) is still known as handled. The marks of records dead-lettered are kept as long, for the same reason.
   */
  retainInboxMs: number;
  shutdownFlushTimeoutMs: number;
  /** How long a send may go unacknowledged before this relay gives up the lock to another instance's. */
  sendTimeoutMs: number;
}

export interface RelayObserver {
  published(topic: string, eventType: string, count: number): void;
  backlog(pending: number): void;
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

export interface PendingRow {
  id: string;
  event_type: string;
  topic: string;
  partition_key: string | null;
  payload: string;
  headers: Record<string, string>;
}

// One relay per database publishes at a time, so events leave in commit order per key even with
// several instances of a service; the others wait for the lock.
const RELAY_LOCK_KEY = 'messaging_outbox_relay';
const PRUNE_EVERY_MS = 60_000;
const INBOX_PRUNE_BATCH = 10_000;
const INBOX_PRUNE_ROUNDS = 10;
const BACKLOG_EVERY_MS = 5_000;

/**
 * Publishes outbox rows in id order with an idempotent producer (acks=all) and marks them sent.
 * A crash between publishing and marking re-publishes the same event (same id) on restart: consumers
 * are idempotent, so that is a duplicate delivery, never a lost or doubled effect.
 */
export class OutboxRelay {
  private client?: Client;
  private producerConnected = false;
  private leader = false;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** A notification that came while the relay was busy: the next sleep returns at once. */
  private wakeRequested = false;
  private lastPrune = 0;
  private lastBacklog = 0;
  /**
   * Reset by a batch that went out, not by reconnecting: a fault that lets the relay connect but not
   * publish (a broker refusing a row, a database refusing the mark) would otherwise re-send the same
   * batch at the first backoff step for as long as it lasts.
   */
  private failuresSincePublished = 0;

  constructor(
    private readonly producer: ProducerPort,
    private readonly settings: RelaySettings,
    private readonly observer: RelayObserver,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after publishing what is pending (bounded by the flush timeout), then releases the lock. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.requestWake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.connectAsLeader();
        await this.relayWhileRunning();
        await this.flushBeforeStop();
      } catch (error) {
        const failures = ++this.failuresSincePublished;
        this.observer.warn({ err: error, failures }, 'outbox relay failed; reconnecting');
        await this.disconnect();
        // Under write load a notification arrives during every failed attempt; it would cut each backoff
        // short, and the relay would reconnect and fail again at full speed. Stopping still wakes it.
        this.wakeRequested = false;
        if (this.running) await this.sleep(Math.min(10_000, 250 * 2 ** Math.min(failures, 6)));
      }
    }
    await this.disconnect();
    if (this.producerConnected) {
      this.producerConnected = false;
      await this.producer.disconnect().catch(() => undefined);
    }
  }

  private async connectAsLeader(): Promise<void> {
    if (!this.producerConnected) {
      await this.producer.connect();
      this.producerConnected = true;
    }
    if (this.client) return;
    // Without it, a relay whose server vanished would keep the lock, and every other relay waiting.
    const client = new Client({
      ...CONNECTION_LIVENESS,
      connectionString: this.settings.databaseUrl,
      application_name: 'outbox-relay',
    });
    client.on('error', () => undefined); // surfaced by the next query, which the loop retries
    client.on('notification', () => this.requestWake());
    await client.connect();
    this.client = client;
    while (this.running) {
      const { rows } = await client.query<{ locked: boolean }>(
        `select pg_try_advisory_lock(hashtext($1)) as locked`,
        [RELAY_LOCK_KEY],
      );
      if (rows[0]?.locked) {
        this.leader = true;
        break;
      }
      await this.sleep(2_000);
    }
    if (!this.leader) return;
    await client.query('listen messaging_outbox');
    this.observer.info({}, 'outbox relay is publishing');
  }

  private async relayWhileRunning(): Promise<void> {
    while (this.running) {
      const published = await this.publishBatch();
      this.failuresSincePublished = 0;
      await this.housekeeping();
      if (published < this.settings.batchSize) await this.sleep(this.settings.pollIntervalMs);
    }
  }

  private async flushBeforeStop(): Promise<void> {
    if (!this.client || !this.leader) return;
    const deadline = Date.now() + this.settings.shutdownFlushTimeoutMs;
    while (Date.now() < deadline && (await this.publishBatch()) > 0) {
      // keep going until nothing is pending
    }
  }

  private async publishBatch(): Promise<number> {
    const client = this.client;
    if (!client || !this.leader) return 0;
    // Commits notified from here on may be after this select's snapshot, so they wake the relay again.
    this.wakeRequested = false;
    const { rows } = await client.query<PendingRow>(
      // The payload as text: it goes to the broker as it is, without a parse and a re-serialisation.
      `select id, event_type, topic, partition_key, payload::text as payload, headers from messaging_outbox
       where published_at is null order by id limit $1`,
      [this.settings.batchSize],
    );
    if (rows.length === 0) return 0;
    for (const chunk of chunksOf(rows, this.settings.maxSendBytes)) {
      // Given up on once unacknowledged for `sendTimeoutMs`: the loop then drops the connection and with it
      // the lock. A send given up on may still land; its rows are unmarked, so they go again under the same
      // event ids, which consumers skip as handled.
      await this.producer.send(
        chunk.map((row) => ({
          topic: row.topic,
          key: row.partition_key,
          value: row.payload,
          headers: row.headers,
        })),
        { signal: AbortSignal.timeout(this.settings.sendTimeoutMs) },
      );
      await client.query(`update messaging_outbox set published_at = now() where id = any($1::bigint[])`, [
        chunk.map((row) => row.id),
      ]);
      // Counted chunk by chunk: a later chunk's failure leaves this one published, never to be selected again.
      this.countPublished(chunk);
    }
    return rows.length;
  }

  private countPublished(rows: PendingRow[]): void {
    const counts = new Map<string, { topic: string; type: string; n: number }>();
    for (const row of rows) {
      const entry = counts.get(row.topic) ?? { topic: row.topic, type: row.event_type, n: 0 };
      entry.n++;
      counts.set(row.topic, entry);
    }
    for (const { topic, type, n } of counts.values()) this.observer.published(topic, type, n);
  }

  private async housekeeping(): Promise<void> {
    const client = this.client;
    if (!client || !this.leader) return;
    const now = Date.now();
    if (now - this.lastBacklog >= BACKLOG_EVERY_MS) {
      this.lastBacklog = now;
      const { rows } = await client.query<{ pending: string }>(
        `select count(*) as pending from messaging_outbox where published_at is null`,
      );
      this.observer.backlog(Number(rows[0]?.pending ?? 0));
    }
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await client.query(
        `delete from messaging_outbox where published_at < now() - make_interval(secs => $1)`,
        [this.settings.retainPublishedMs / 1000],
      );
      await this.pruneInbox(client);
      // A record older than its topic's retention cannot be delivered again: its mark has done its work.
      await client.query(
        `delete from messaging_dead_lettered where dead_lettered_at < now() - make_interval(secs => $1)`,
        [this.settings.retainInboxMs / 1000],
      );
    }
  }

  /** In short transactions, a bounded number a minute: a first prune of a long history takes its time. */
  private async pruneInbox(client: Client): Promise<void> {
    for (let round = 0; round < INBOX_PRUNE_ROUNDS; round++) {
      const { rowCount } = await client.query(
        `delete from messaging_inbox where ctid = any(array(
           select ctid from messaging_inbox where processed_at < now() - make_interval(secs => $1) limit $2))`,
        [this.settings.retainInboxMs / 1000, INBOX_PRUNE_BATCH],
      );
      if ((rowCount ?? 0) < INBOX_PRUNE_BATCH) return;
    }
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.leader = false;
    // Closing the session releases the advisory lock as well.
    await client?.end().catch(() => undefined);
  }

  private requestWake(): void {
    this.wakeRequested = true;
    this.wake?.();
  }

  /** Waits `ms`, or less when woken; a wake requested while the relay was not sleeping is not lost. */
  private sleep(ms: number): Promise<void> {
    if (this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        this.wakeRequested = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

/** Rows in order, cut into runs of at most `maxBytes` (a row larger than that goes alone). */
export function chunksOf(rows: readonly PendingRow[], maxBytes: number): PendingRow[][] {
  const chunks: PendingRow[][] = [];
  let current: PendingRow[] = [];
  let size = 0;
  for (const row of rows) {
    const bytes = recordBytes({ key: row.partition_key, value: row.payload, headers: row.headers });
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(row);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
