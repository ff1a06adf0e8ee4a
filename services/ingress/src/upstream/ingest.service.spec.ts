import { QueryFailedError, type DataSource } from 'typeorm';
import { contentFingerprint, sampleEvent, validateEvent } from '@loyalty/contracts';
import type { BrokerClient, OutgoingMessage, ProducerPort } from '@loyalty/messaging';
import type { EventMetrics } from '@loyalty/observability';
import { IngressConfig } from '../config/ingress.config';
import { IngestService } from './ingest.service';
import { RetryLater } from './retry-later';

const central = { name: 'central', properties: new Set(['*']) };

/**
 * The service over an `ingested_events` table held in `stored` (event id → fingerprint), recording the
 * ids each insert was given and the messages sent to Kafka; `failWith` makes every query fail.
 */
function ingestOver(stored: Map<string, string | null>, failWith?: Error) {
  const insertedIds: string[][] = [];
  const sent: OutgoingMessage[] = [];
  const manager = {
    query: async (sql: string, [ids, , , fingerprints]: string[][]) => {
      if (failWith) throw failWith;
      if (!sql.startsWith('insert')) {
        return ids
          .filter((id) => stored.has(id))
          .map((id) => ({ event_id: id, fingerprint: stored.get(id) }));
      }
      insertedIds.push(ids);
      const fresh = ids.flatMap((id, i) => (stored.has(id) ? [] : [{ id, fingerprint: fingerprints[i] }]));
      for (const { id, fingerprint } of fresh) stored.set(id, fingerprint);
      return fresh.map(({ id }) => ({ event_id: id }));
    },
  };
  const dataSource = { transaction: async (work: (m: typeof manager) => unknown) => work(manager) };
  const producer: ProducerPort = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    send: async (messages) => void sent.push(...messages),
  };
  const service = new IngestService(
    { producer: () => producer } as unknown as BrokerClient,
    dataSource as unknown as DataSource,
    new IngressConfig(),
    { published: () => undefined } as unknown as EventMetrics,
  );
  return { service, insertedIds, sent };
}

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
      const { service } = ingestOver(new Map(), lost);

      const refusal = service.ingest([original], central);

      await expect(refusal).rejects.toBeInstanceOf(RetryLater);
      await expect(refusal).rejects.toMatchObject({ status: 503, code: 'CONTENDED', retryAfterSeconds: 1 });
    },
  );
});
