import type { ProducerPort } from '../kafka/broker-client';
import { chunksOf, OutboxRelay, type PendingRow, type RelayObserver } from './outbox-relay';

function row(id: number, payloadBytes: number): PendingRow {
  return {
    id: String(id),
    event_type: 'points-earned',
    topic: 'points-earned',
    partition_key: 'guest',
    payload: 'x'.repeat(payloadBytes),
    headers: { ce_id: String(id) },
  };
}

describe('chunksOf', () => {
  it('should cut rows into runs under the byte limit, keeping their order', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i, 300));
    const chunks = chunksOf(rows, 1_000);
    expect(chunks.map((chunk) => chunk.map((r) => Number(r.id)))).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
      [8, 9],
    ]);
  });

  it('should send a row larger than the limit on its own rather than hold it back', () => {
    const chunks = chunksOf([row(1, 100), row(2, 5_000), row(3, 100)], 1_000);
    expect(chunks.map((chunk) => chunk.map((r) => r.id))).toEqual([['1'], ['2'], ['3']]);
  });

  it('should keep one chunk when everything fits', () => {
    expect(chunksOf([row(1, 10), row(2, 10)], 1_000)).toHaveLength(1);
  });
});

describe('OutboxRelay', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('should back off after a failed send though a notification came meanwhile, as one does under write load', async () => {
    jest.useFakeTimers();
    let sends = 0;
    const producer: ProducerPort = {
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: async () => {
        sends++;
        // Services keep committing: the outbox's notification arrives while the broker is asked.
        (relay as unknown as { requestWake(): void }).requestWake();
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error('TOPIC_AUTHORIZATION_FAILED');
      },
    };
    const database = {
      query: async (sql: string) => ({ rows: sql.includes('from messaging_outbox') ? [row(1, 10)] : [] }),
      end: async () => undefined,
    };
    // The relay as leader on a database that has one row pending, without a real connection.
    jest
      .spyOn(OutboxRelay.prototype as unknown as { connectAsLeader(): Promise<void> }, 'connectAsLeader')
      .mockImplementation(async function (this: { client: unknown; leader: boolean }) {
        this.client = database;
        this.leader = true;
      });
    const quiet: RelayObserver = { published: () => {}, backlog: () => {}, warn: () => {}, info: () => {} };
    const relay = new OutboxRelay(
      producer,
      {
        databaseUrl: 'postgres://unused',
        batchSize: 100,
        maxSendBytes: 1_000_000,
        pollIntervalMs: 1_000,
        retainPublishedMs: 60_000,
        retainInboxMs: 60_000,
        shutdownFlushTimeoutMs: 0,
        sendTimeoutMs: 60_000,
      },
      quiet,
    );

    relay.start();
    await jest.advanceTimersByTimeAsync(2_000);
    // Tries at 0, 0.5 s and 1.5 s (backing off 0.5 s, then 1 s, then 2 s).
    expect(sends).toBe(3);

    const stopped = relay.stop();
    await jest.advanceTimersByTimeAsync(10);
    await stopped;
  });

  it('should count the chunks it published when a later chunk of the batch fails', async () => {
    let sends = 0;
    const producer: ProducerPort = {
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: async () => {
        if (++sends === 2) throw new Error('REQUEST_TIMED_OUT');
      },
    };
    // Four rows of 300 bytes under a 1,000-byte limit: two chunks of two (as `chunksOf` cuts them above).
    const database = {
      query: async (sql: string) => ({
        rows: sql.includes('from messaging_outbox') ? [1, 2, 3, 4].map((id) => row(id, 300)) : [],
      }),
    };
    let published = 0;
    const counting: RelayObserver = {
      published: (_topic, _type, n) => (published += n),
      backlog: () => {},
      warn: () => {},
      info: () => {},
    };
    const relay = new OutboxRelay(
      producer,
      {
        databaseUrl: 'postgres://unused',
        batchSize: 100,
        maxSendBytes: 1_000,
        pollIntervalMs: 1_000,
        retainPublishedMs: 60_000,
        retainInboxMs: 60_000,
        shutdownFlushTimeoutMs: 0,
        sendTimeoutMs: 60_000,
      },
      counting,
    );
    Object.assign(relay, { client: database, leader: true });

    const batch = (relay as unknown as { publishBatch(): Promise<number> }).publishBatch();

    await expect(batch).rejects.toThrow('REQUEST_TIMED_OUT');
    expect(published).toBe(2);
  });
});
