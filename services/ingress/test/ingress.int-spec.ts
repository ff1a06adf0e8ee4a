import { randomUUID } from 'node:crypto';
import { buildEvent, sampleEventData, type EventEnvelope } from '@loyalty/contracts';
import {
  deleteTopicsWithPrefix,
  KafkaProbe,
  type InProcessService,
  TestStage,
  uniqueTopicPrefix,
  waitUntil,
} from '@loyalty/testing';
import { AppModule } from '../src/app.module';
import { IngressConfig } from '../src/config/ingress.config';

const AMSTERDAM_KEY = 'amsterdam-secret-0000001';
const CENTRAL_KEY = 'central-reservations-0001';

describe('ingress: upstream events over HTTP onto the real broker', () => {
  let stage: TestStage;
  let prefix: string;
  let ingress: InProcessService;
  let probe: KafkaProbe;

  function stayAt(propertyId: string): EventEnvelope<'stay-completed'> {
    const data = {
      ...sampleEventData('stay-completed'),
      propertyId,
      reservationId: `R-${randomUUID().slice(0, 8)}`,
    };
    return buildEvent('stay-completed', data, { source: `pms/${propertyId}` });
  }

  const post = (path: string, body: unknown, key?: string) =>
    fetch(`${ingress.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const onKafka = (id: string) =>
    probe.seen(`${prefix}stay-completed`).filter((r) => r.json<{ id: string }>().id === id);

  beforeAll(async () => {
    stage = await TestStage.create('ingress');
    ({ prefix, probe } = stage);
    ingress = await stage.start(AppModule, IngressConfig, {
      INGRESS_API_KEYS: `opera-ams:${AMSTERDAM_KEY}:AMS01,central:${CENTRAL_KEY}:*`,
      INGRESS_MAX_BATCH: '5',
      HTTP_BODY_LIMIT_BYTES: '20000',
      INGRESS_EVENTS_PER_SECOND: '1000',
    });
    await probe.watch(`${prefix}stay-completed`);
  });

  afterAll(() => stage?.close());

  it('should refuse a request without a key, or with an unknown one, and say which', async () => {
    const missing = await post('/v1/events', stayAt('AMS01'));
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: 'API_KEY_MISSING' });
    const wrong = await post('/v1/events', stayAt('AMS01'), 'not-a-key-of-anyone');
    expect(await wrong.json()).toMatchObject({ code: 'API_KEY_INVALID' });
  });

  it('should put an accepted event on Kafka before answering, and accept a re-send without a second copy', async () => {
    const stay = stayAt('AMS01');
    const first = await post('/v1/events', stay, AMSTERDAM_KEY);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ index: 0, id: stay.id, status: 'accepted' });
    const [record] = await probe.awaitRecords(
      `${prefix}stay-completed`,
      1,
      (r) => r.json<{ id: string }>().id === stay.id,
    );
    expect(record.key).toBe(`AMS01:${stay.data.reservationId}`);
    expect(record.headers['ce_id']).toBe(stay.id);

    const again = await post('/v1/events', stay, AMSTERDAM_KEY);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    const marker = stayAt('AMS01');
    await post('/v1/events', marker, AMSTERDAM_KEY);
    await probe.awaitRecords(`${prefix}stay-completed`, 1, (r) => r.json<{ id: string }>().id === marker.id);
    expect(onKafka(stay.id)).toHaveLength(1);
  });

  it('should refuse another event sent under an id it received before, and still know a re-send in another property order', async () => {
    const stay = stayAt('AMS01');
    expect((await post('/v1/events', stay, AMSTERDAM_KEY)).status).toBe(202);
    const corrected = { ...stay, data: { ...stay.data, roomType: 'SUITE-CHANGED' } };
    const refused = await post('/v1/events', corrected, AMSTERDAM_KEY);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ status: 'rejected', code: 'EVENT_ID_REUSED' });
    const reordered = Object.fromEntries(Object.entries(stay).reverse());
    const again = await post('/v1/events/batch', { events: [reordered] }, AMSTERDAM_KEY);
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 1, rejected: 0 });
  });

  it('should put an event whose id is in upper case on Kafka, and know its re-send in either case', async () => {
    const stay = stayAt('AMS01');
    const shouted = { ...stay, id: stay.id.toUpperCase() };

    const first = await post('/v1/events', shouted, AMSTERDAM_KEY);
    expect(first.status).toBe(202);
    await probe.awaitRecords(`${prefix}stay-completed`, 1, (r) => r.json<{ id: string }>().id === stay.id);

    const again = await post('/v1/events/batch', { events: [stay, shouted] }, AMSTERDAM_KEY);
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 2 });
  });

  it('should judge every item of a batch on its own, naming field and reason, and keep a key to its properties', async () => {
    const good = stayAt('AMS01');
    const invalid = { ...stayAt('AMS01'), data: { ...stayAt('AMS01').data, nights: 0 } };
    const otherProperty = stayAt('PAR01');
    const response = await post(
      '/v1/events/batch',
      { events: [good, invalid, otherProperty] },
      AMSTERDAM_KEY,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      accepted: number;
      rejected: number;
      results: { code?: string; errors?: { path: string }[] }[];
    };
    expect(body).toMatchObject({ accepted: 1, duplicates: 0, rejected: 2 });
    expect(body.results[1].code).toBe('INVALID_DATA');
    expect(body.results[1].errors?.map((e) => e.path)).toContain('data.nights');
    expect(body.results[2].code).toBe('PROPERTY_OUT_OF_SCOPE');
    // On the broker before the answer (acks=all); the probe, a consumer, sees it a moment later.
    await probe.awaitRecords(`${prefix}stay-completed`, 1, (r) => r.json<{ id: string }>().id === good.id);
    expect(onKafka(otherProperty.id)).toHaveLength(0);

    const central = await post('/v1/events/batch', { events: [otherProperty] }, CENTRAL_KEY);
    expect(await central.json()).toMatchObject({ accepted: 1 });
  });

  it('should answer 413 for a batch over the limit and for a body over the size limit', async () => {
    const tooMany = await post(
      '/v1/events/batch',
      { events: Array.from({ length: 6 }, () => stayAt('AMS01')) },
      AMSTERDAM_KEY,
    );
    expect(tooMany.status).toBe(413);
    expect(await tooMany.json()).toMatchObject({ code: 'BATCH_TOO_LARGE' });
    const huge = await post('/v1/events', { ...stayAt('AMS01'), padding: 'x'.repeat(30_000) }, AMSTERDAM_KEY);
    expect(huge.status).toBe(413);
  });

  it('should answer 429 with Retry-After once a system sends faster than its budget, and 413 to a batch larger than the budget', async () => {
    // A system of its own: the budget is counted per system in the shared Redis, and the other tests'
    // events of this second would count against it.
    const limited = await stage.start(AppModule, IngressConfig, {
      INGRESS_API_KEYS: `opera-limited:${AMSTERDAM_KEY}:AMS01`,
      INGRESS_EVENTS_PER_SECOND: '8',
      INGRESS_MAX_BATCH: '500',
    });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 10 && !statuses.includes(429); attempt++) {
        const events = Array.from({ length: 5 }, () => stayAt('AMS01'));
        const response = await fetch(`${limited.url}/v1/events/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': AMSTERDAM_KEY },
          body: JSON.stringify({ events }),
        });
        statuses.push(response.status);
        if (response.status === 429) {
          expect(response.headers.get('retry-after')).toBe('1');
          expect(await response.json()).toMatchObject({
            code: 'RATE_LIMITED',
            message: expect.stringContaining('8 events per second'),
          });
        }
      }
      expect(statuses).toContain(429);
      const neverFits = await fetch(`${limited.url}/v1/events/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': AMSTERDAM_KEY },
        body: JSON.stringify({ events: Array.from({ length: 9 }, () => stayAt('AMS01')) }),
      });
      expect(neverFits.status).toBe(413);
      expect(await neverFits.json()).toMatchObject({
        code: 'BATCH_TOO_LARGE',
        message: 'a batch holds at most 8 events; this one has 9',
      });
    } finally {
      await stage.stop(limited);
    }
  });

  it('should answer 503 with Retry-After and record nothing while Kafka cannot take the events, then accept the re-send', async () => {
    // Its own topics: the upstream topic is deleted under it, so its sends wait for a topic to exist.
    const outagePrefix = uniqueTopicPrefix();
    const topic = `${outagePrefix}stay-completed`;
    // A system and budget of its own (an in-process service keeps the environment the last one was given).
    const cut = await stage.start(AppModule, IngressConfig, {
      INGRESS_API_KEYS: `opera-outage:${AMSTERDAM_KEY}:AMS01`,
      INGRESS_EVENTS_PER_SECOND: '1000',
      KAFKA_TOPIC_PREFIX: outagePrefix,
      INGRESS_PUBLISH_TIMEOUT_MS: '1500',
    });
    const admin = probe.admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
      // Deletion completes on the broker a moment after the answer; until then it still takes records.
      await waitUntil('the upstream topic gone', async () => !(await admin.listTopics()).includes(topic));
      const stay = stayAt('AMS01');
      const send = () =>
        fetch(`${cut.url}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': AMSTERDAM_KEY },
          body: JSON.stringify(stay),
        });
      const refused = await send();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.json()).toMatchObject({ code: 'PUBLISH_NOT_CONFIRMED' });

      // kafkajs's own wait for leaders gives up on a topic the broker does not host yet, as happens right
      // after a deletion: the metadata is polled here instead.
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
      await waitUntil('the upstream topic back with a leader for each partition', async () => {
        const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
        return metadata.partitions.length === 3 && metadata.partitions.every((p) => p.leader >= 0);
      });
      // The sender's retries: the first that Kafka confirms in time is accepted, not a duplicate, since
      // the refused attempt recorded nothing.
      let accepted: Response | undefined;
      await waitUntil(
        'a re-send confirmed once the topic is back',
        async () => {
          const response = await send();
          if (response.status === 503) return false;
          accepted = response;
          return true;
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(accepted?.status).toBe(202);
      expect(await accepted?.json()).toMatchObject({ id: stay.id, status: 'accepted' });
      await probe.watch(topic);
      await probe.awaitRecords(topic, 1, (r) => r.json<{ id: string }>().id === stay.id);
    } finally {
      await admin.disconnect();
      await stage.stop(cut);
      await deleteTopicsWithPrefix(outagePrefix);
    }
  });
});
