import type { Admin } from 'kafkajs';
import { askAgainWhileTransient } from '@loyalty/messaging/broker';
import type { Connection } from './connection';
import { decodeRecord, type EventRecord } from './lib/event-record';
import { RestartBudget } from './lib/restart-budget';
import { cliGroupId, deleteGroupQuietly, explainKafkaError, kafkaClient, topicOffsets } from './kafka';

export interface ScanOptions {
  topics: string[];
  /** Where to start: the beginning, a time (epoch ms), or (default) the current end. */
  from: 'beginning' | 'end' | number;
  /** Where to stop: a time (epoch ms), the end as of now, or never (follow). */
  until: 'end' | 'never' | number;
  /** A label for the throw-away group id, e.g. `tail`. */
  command: string;
  /** Called per record; return false to stop the scan. */
  onRecord(record: EventRecord): void | boolean | Promise<void | boolean>;
  /** Called once the consumer reads, with its throw-away group id, e.g. to say "tailing ..." on stderr. */
  onReady?(groupId: string): void;
  /** Resolves when the user asks to stop (Ctrl-C). */
  stopped?: Promise<void>;
}

/** How a scan ended. */
export interface ScanEnd {
  /** Set when `stopped` ended it before every partition reached its stop: some of the range is unread. */
  interrupted: boolean;
}

/**
 * How many restarts a scan allows within a window with no record read, before it gives up. kafkajs
 * restarts a consumer that failed on a transient answer (a leader moving, a coordinator loading); a broker
 * that keeps failing it should end the scan with its error, not retry for ever. A window, not a count
 * for the whole scan: a `tail` following a quiet topic for hours may meet several unrelated hiccups.
 */
const RESTARTS_ALLOWED = 3;
const RESTART_WINDOW_MS = 60_000;

/**
 * Waits until the broker names the coordinator of `groupId`. A broker that has just started creates its
 * offsets topic when the first group asks, and answers "no coordinator" for some seconds meanwhile;
 * kafkajs gives up after its few retries with an error it calls final, and a consumer whose first join
 * failed cannot be run again. Asking through the admin client first keeps the scan's consumer out of it.
 */
export async function untilCoordinatorFound(
  admin: Pick<Admin, 'describeGroups'>,
  groupId: string,
  { attempts = 20, pauseMs = 500 } = {},
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.describeGroups([groupId]);
      return;
    } catch (error) {
      const coordinatorMissing = error instanceof Error && error.name === 'KafkaJSGroupCoordinatorNotFound';
      if (!coordinatorMissing || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

/**
 * Waits for `work` while telling the group coordinator the member is alive: a record handler may wait
 * for minutes (a pager whose reader scrolls slowly), far past the session timeout, after which the
 * coordinator would drop the member and the scan would fail on its next heartbeat.
 */
export async function heartbeatWhile<T>(
  work: Promise<T>,
  heartbeat: () => Promise<void>,
  everyMs = 1_000,
): Promise<T> {
  const beating = setInterval(() => void heartbeat().catch(() => undefined), everyMs);
  try {
    return await work;
  } finally {
    clearInterval(beating);
  }
}

interface PartitionRange {
  start: number;
  /** Exclusive; Infinity when following. */
  stop: number;
  next: number;
}

async function offsetsAt(
  admin: Admin,
  topic: string,
  at: number,
  high: Map<number, number>,
): Promise<Map<number, number>> {
  const found = await askAgainWhileTransient(() => admin.fetchTopicOffsetsByTimestamp(topic, at));
  // No message at or after the time: start (or stop) at the current end.
  return new Map(
    found.map((p) => [p.partition, Number(p.offset) >= 0 ? Number(p.offset) : (high.get(p.partition) ?? 0)]),
  );
}

/**
 * Reads a range of `topics` without disturbing anyone: a throw-away consumer group that never commits
 * and is deleted afterwards, positioned by offsets looked up with the admin client. Bounded ranges
 * return when every partition reached its stop offset; `until: 'never'` follows until `stopped`, which
 * then reports the scan interrupted.
 */
export async function scanTopics(
  connection: Connection,
  admin: Admin,
  options: ScanOptions,
): Promise<ScanEnd> {
  const ranges = new Map<string, Map<number, PartitionRange>>();
  for (const topic of options.topics) {
    const offsets = await topicOffsets(admin, topic);
    const low = new Map(offsets.map((p) => [p.partition, Number(p.low)]));
    const high = new Map(offsets.map((p) => [p.partition, Number(p.high)]));
    const starts =
      options.from === 'beginning'
        ? low
        : options.from === 'end'
          ? high
          : await offsetsAt(admin, topic, options.from, high);
    const stops =
      options.until === 'never'
        ? new Map([...high.keys()].map((p) => [p, Infinity]))
        : options.until === 'end'
          ? high
          : await offsetsAt(admin, topic, options.until, high);
    const perPartition = new Map<number, PartitionRange>();
    for (const partition of high.keys()) {
      const start = Math.max(starts.get(partition) ?? 0, low.get(partition) ?? 0);
      perPartition.set(partition, { start, stop: stops.get(partition) ?? 0, next: start });
    }
    ranges.set(topic, perPartition);
  }
  const finished = () => [...ranges.values()].every((m) => [...m.values()].every((r) => r.next >= r.stop));
  if (finished()) return { interrupted: false };

  const groupId = cliGroupId(options.command);
  await untilCoordinatorFound(admin, groupId);
  const restarts = new RestartBudget(RESTARTS_ALLOWED, RESTART_WINDOW_MS);
  const consumer = kafkaClient(connection).consumer({
    groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    retry: { restartOnFailure: async () => restarts.spend() },
  });
  let done!: (end: ScanEnd) => void;
  let failed!: (error: unknown) => void;
  const outcome = new Promise<ScanEnd>((resolve, reject) => {
    done = resolve;
    failed = reject;
  });
  let stopping = false;
  // The first reason to stop is the one reported.
  const stop = (interrupted = false) => {
    stopping = true;
    done({ interrupted });
  };
  void options.stopped?.then(() => stop(!finished()));
  try {
    await consumer.connect();
    let ready = false;
    // Also after a restart: the new member reads on from where the scan got to.
    consumer.on(consumer.events.GROUP_JOIN, () => {
      for (const [topic, partitions] of ranges)
        for (const [partition, range] of partitions)
          consumer.seek({ topic, partition, offset: String(range.next) });
      if (!ready) options.onReady?.(groupId);
      ready = true;
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) failed(event.payload.error);
    });
    // A fetch of nothing but transaction markers or aborted records never reaches eachBatch: kafkajs reads
    // on past it, and so does the scan, or a partition ending in one would never be read to its end.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize > 0 || payload.firstOffset === null) return;
      const range = ranges.get(payload.topic)?.get(payload.partition);
      if (!range || stopping) return;
      range.next = Math.max(range.next, Number(payload.lastOffset) + 1);
      if (finished()) stop();
    });
    await consumer.subscribe({ topics: options.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        const range = ranges.get(batch.topic)?.get(batch.partition);
        if (!range) return;
        for (const message of batch.messages) {
          if (stopping) return;
          const offset = Number(message.offset);
          // Messages before the start arrive when a fetch raced the seek; skip them.
          if (offset < range.next) continue;
          if (offset >= range.stop) break;
          const handled = options.onRecord(decodeRecord(batch.topic, batch.partition, message));
          const keepGoing = handled instanceof Promise ? await heartbeatWhile(handled, heartbeat) : handled;
          // Only once handled: a restart after a failure in between reads the record again.
          range.next = offset + 1;
          restarts.progressed();
          resolveOffset(message.offset);
          if (keepGoing === false) return stop();
        }
        // A compacted or transactional log may skip offsets: the batch's end counts as reached.
        if (batch.messages.length > 0 && Number(batch.lastOffset()) + 1 >= range.stop)
          range.next = Math.max(range.next, range.stop);
        await heartbeat();
        if (finished()) stop();
      },
    });
    return await outcome;
  } catch (error) {
    throw explainKafkaError(error, connection);
  } finally {
    stopping = true;
    await consumer.disconnect().catch(() => undefined);
    await deleteGroupQuietly(admin, groupId);
  }
}
