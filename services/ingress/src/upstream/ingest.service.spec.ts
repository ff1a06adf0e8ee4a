import { QueryFailedError, type DataSource } from 'typeorm';
import { contentFingerprint, sampleEvent, validateEvent } from '@loyalty/contracts';
import {
  SendNotStarted,
  SendUnconfirmed,
  type BrokerClient,
  type OutgoingMessage,
  type ProducerPort,
} from '@loyalty/messaging';
import { MetricsService, type EventMetrics } from '@loyalty/observability';
import { IngressConfig } from '../config/ingress.config';
import { IngestService } from './ingest.service';
import { RetryLater } from './retry-later';

const central = { name: 'central', properties: new Set(['*']) };

/**
 * The service over an `ingested_events` table held in `stored` (event id → fingerprint) and
 * `unconfirmed` (ids kept as unconfirmed), recording the ids each insert was given and the messages
 * sent to Kafka; `failWith` makes every query fail, `send` replaces the producer's send.
 */
function ingestOver(
  stored: Map<string, string | null>,
  {
    failWith,
    unconfirmed = new Set<string>(),
    send,
    publishTimeoutMs = 10_000,
    poolSize = 10,
  }: {
    failWith?: Error;
    unconfirmed?: Set<string>;
    send?: ProducerPort['send'];
    publishTimeoutMs?: number;
    poolSize?: number;
  } = {},
) {
  const insertedIds: string[][] = [];
  const sent: OutgoingMessage[] = [];
  const manager = {
    query: async (sql: string, [ids, second, , fingerprints]: [string[], unknown, unknown, string[]]) => {
      if (failWith) throw failWith;
      if (sql.startsWith('update')) {
        for (const id of ids) {
          if (second) unconfirmed.delete(id);
          else unconfirmed.add(id);
        }
        return [];
      }
      if (!sql.startsWith('insert')) {
        return ids
          .filter((id) => stored.has(id))
          .map((id) => ({
            event_id: id,
            fingerprint: stored.get(id),
            confirmed: !unconfirmed.has(id),
            system: central.name,
          }));
      }
      insertedIds.push(ids);
      const fresh = ids.flatMap((id, i) => (stored.has(id) ? [] : [{ id, fingerprint: fingerprints[i] }]));
      for (const { id, fingerprint } of fresh) stored.set(id, fingerprint);
      return fresh.map(({ id }) => ({ event_id: id }));
    },
  };
  let transactionsStarted = 0;
  const dataSource = {
    transaction: async (work: (m: typeof manager) => unknown) => {
      transactionsStarted++;
      return work(manager);
    },
  };
  const producer: ProducerPort = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    send: async (messages, options) => {
      sent.push(...messages);
      await send?.(messages, options);
    },
  };
  const service = new IngestService(
    { producer: () => producer } as unknown as BrokerClient,
    dataSource as unknown as DataSource,
    Object.assign(new IngressConfig(), {
      INGRESS_PUBLISH_TIMEOUT_MS: publishTimeoutMs,
      DATABASE_POOL_SIZE: poolSize,
    }),
    { published: () => undefined } as unknown as EventMetrics,
    new MetricsService({ service: 'ingress', collectDefaultMetrics: false }),
  );
  return { service, insertedIds, sent, unconfirmed, transactionsStarted: () => transactionsStarted };
}

/** A producer that never hears from the broker: when its caller stops waiting, it fails as `failure` says. */
const unanswered =
  (failure: (reason: unknown) => Error): ProducerPort['send'] =>
  (_messages, options) =>
    new Promise<void>((_resolve, reject) => {
      const signal = options?.signal;
      signal?.addEventListener('abort', () => reject(failure(signal.reason)), { once: true });
    });

describe('IngestService', () => {
  const original = sampleEvent('stay-completed');
  const changed = { ...original, data: { ...original.data, roomType: 'SUITE-CHANGED' } };
  const storedOriginal = () => new Map([[original.id, contentFingerprint(validateEvent(original).envelope)]]);
  const answers = (results: { status: string; code?: string }[]) => results.map((r) => r.code ?? r.status);

  it('should reject every copy of a changed event when its id was received before with other content', async () => {
    const { service, sent } = ingestOver(storedOriginal());

    const results = await service.ingest([changed, changed], central);

    expect(answers(results)).toEqual(['EVENT_ID_REUSED', 'EVENT_ID_REUSED']);
    expect(sent).toEqual([]);
  });

  it('should answer the stored event sent again as a duplicate when a changed copy comes first in the batch', async () => {
    const { service } = ingestOver(storedOriginal());

    const results = await service.ingest([changed, original], central);

    expect(answers(results)).toEqual(['EVENT_ID_REUSED', 'duplicate']);
  });

  it('should count every copy as a duplicate when the id was received before content was fingerprinted', async () => {
    const { service } = ingestOver(new Map([[original.id, null]]));

    const results = await service.ingest([changed, original], central);

    expect(answers(results)).toEqual(['duplicate', 'duplicate']);
  });

  it('should still judge later copies against the first when the id is new', async () => {
    const { service, sent } = ingestOver(new Map());

    const results = await service.ingest([original, changed, original], central);

    expect(answers(results)).toEqual(['accepted', 'EVENT_ID_REUSED', 'duplicate']);
    expect(sent).toHaveLength(1);
  });

  it('should record the ids in id order, so concurrent batches lock them alike, and publish in batch order', async () => {
    const later = sampleEvent('stay-completed', { id: '00000000-0000-4000-8000-00000000000b' });
    const earlier = sampleEvent('stay-completed', { id: '00000000-0000-4000-8000-00000000000a' });
    const { service, insertedIds, sent } = ingestOver(new Map());

    await service.ingest([later, earlier], central);

    expect(insertedIds).toEqual([[earlier.id, later.id]]);
    expect(sent.map((m) => JSON.parse(String(m.value)).id)).toEqual([later.id, earlier.id]);
  });

  it.each(['40P01', '40001'])(
    'should answer 503, retry later, when the database gives the request up for another (%s)',
    async (code) => {
      const lost = new QueryFailedError(
        'insert into ingested_events …',
        [],
        Object.assign(new Error('lost'), { code }),
      );
      const { service } = ingestOver(new Map(), { failWith: lost });

      const refusal = service.ingest([original], central);

      await expect(refusal).rejects.toBeInstanceOf(RetryLater);
      await expect(refusal).rejects.toMatchObject({ status: 503, code: 'CONTENDED', retryAfterSeconds: 1 });
    },
  );

  it('should keep the fresh ids as unconfirmed and answer 503 when the send started but was not acknowledged in time', async () => {
    const { service, sent, unconfirmed } = ingestOver(new Map(), {
      send: unanswered((reason) => new SendUnconfirmed(reason)),
      publishTimeoutMs: 20,
    });

    const refusal = service.ingest([original], central);

    await expect(refusal).rejects.toMatchObject({
      status: 503,
      code: 'PUBLISH_NOT_CONFIRMED',
      message: expect.stringContaining('kept as unconfirmed'),
    });
    expect(sent).toHaveLength(1);
    expect([...unconfirmed]).toEqual([original.id]);
  });

  it('should keep nothing and answer 503 when the producer took the send back before it left', async () => {
    const { service, unconfirmed } = ingestOver(new Map(), {
      send: unanswered((reason) => new SendNotStarted(reason)),
      publishTimeoutMs: 20,
    });

    const refusal = service.ingest([original], central);

    await expect(refusal).rejects.toMatchObject({
      status: 503,
      code: 'PUBLISH_NOT_CONFIRMED',
      message: expect.stringContaining('none was sent or recorded'),
    });
    expect([...unconfirmed]).toEqual([]);
  });

  it('should publish an unconfirmed event sent again with its content, accept it and mark it confirmed', async () => {
    const { service, sent, unconfirmed } = ingestOver(storedOriginal(), {
      unconfirmed: new Set([original.id]),
    });

    const results = await service.ingest([original, original], central);

    expect(answers(results)).toEqual(['accepted', 'duplicate']);
    expect(sent.map((m) => JSON.parse(String(m.value)).id)).toEqual([original.id]);
    expect(unconfirmed.size).toBe(0);
  });

  it('should publish an unconfirmed event sent again behind another event under its id, with the stored content', async () => {
    const { service, sent, unconfirmed } = ingestOver(storedOriginal(), {
      unconfirmed: new Set([original.id]),
    });

    const results = await service.ingest([changed, original, original], central);

    expect(answers(results)).toEqual(['EVENT_ID_REUSED', 'accepted', 'duplicate']);
    expect(sent.map((m) => JSON.parse(String(m.value)).data.roomType)).toEqual([original.data.roomType]);
    expect(unconfirmed.size).toBe(0);
  });

  it('should refuse other content under an unconfirmed id and send nothing', async () => {
    const { service, sent, unconfirmed } = ingestOver(storedOriginal(), {
      unconfirmed: new Set([original.id]),
    });

    const results = await service.ingest([changed], central);

    expect(answers(results)).toEqual(['EVENT_ID_REUSED']);
    expect(sent).toEqual([]);
    expect([...unconfirmed]).toEqual([original.id]);
  });

  it.each([
    ['timeout exceeded when trying to connect', undefined],
    ['Connection terminated unexpectedly', undefined],
    ['canceling statement due to statement timeout', '57014'],
  ])(
    'should answer 503 DATABASE_UNAVAILABLE with Retry-After when the database fails with "%s"',
    async (message, code) => {
      const failure = Object.assign(new Error(message), { code });
      const { service } = ingestOver(new Map(), { failWith: failure });

      await expect(service.ingest([original], central)).rejects.toMatchObject({
        status: 503,
        code: 'DATABASE_UNAVAILABLE',
        retryAfterSeconds: 5,
      });
    },
  );

  it('should keep connections for the readiness check and the outbox, starting a transaction only when one of the rest is free', async () => {
    let acknowledge!: () => void;
    const acknowledged = new Promise<void>((resolve) => (acknowledge = resolve));
    const { service, transactionsStarted } = ingestOver(new Map(), { poolSize: 3, send: () => acknowledged });
    const another = sampleEvent('stay-completed', { id: '00000000-0000-4000-8000-00000000000d' });

    const first = service.ingest([original], central);
    const second = service.ingest([another], central);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(transactionsStarted()).toBe(1);

    acknowledge();
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
    expect(transactionsStarted()).toBe(2);
  });

  describe('with trace context', () => {
    const traced = { ...original, traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` };
    const retraced = { ...original, traceparent: `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01` };

    it('should answer a re-send under a new trace as a duplicate', async () => {
      const { service } = ingestOver(new Map());
      await service.ingest([traced], central);

      const results = await service.ingest([retraced], central);

      expect(answers(results)).toEqual(['duplicate']);
    });

    it("should still know a re-send of an id stored with the whole envelope's fingerprint", async () => {
      const wholeEnvelope = contentFingerprint(validateEvent(traced).envelope);
      const { service } = ingestOver(new Map([[original.id, wholeEnvelope]]));

      const results = await service.ingest([traced, changed], central);

      expect(answers(results)).toEqual(['duplicate', 'EVENT_ID_REUSED']);
    });
  });
});
