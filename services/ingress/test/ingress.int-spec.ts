import { randomInt, randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { buildEvent, sampleEventData, type EventEnvelope } from '@loyalty/contracts';
import type { ReadinessReport } from '@loyalty/observability';
import {
  deleteTopicsWithPrefix,
  freePort,
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
// Central reservations' second key, as while its key is rotated.
const CENTRAL_NEXT_KEY = 'central-reservations-0002';

/**
 * A loopback address of its own to send from (Linux answers on all of 127.0.0.0/8): requests without a
 * valid key are counted per client address in the shared Redis, with this suite's others and another
 * run's.
 */
const ownLoopbackAddress = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/**
 * Posts `body` from `localAddress`, as a proxy forwarding it from `forwardedFor` if given; with `stall`,
 * sends the headers and `body` as the start of a body of `stall` bytes that never comes whole. The
 * answer, and a way to drop the connection.
 */
function postFrom(
  baseUrl: string,
  {
    path,
    localAddress,
    forwardedFor,
    key,
    body,
    stall,
  }: {
    path: string;
    localAddress: string;
    forwardedFor?: string;
    key?: string;
    body: string;
    stall?: number;
  },
): { answer: Promise<Answer>; drop(): void } {
  const { hostname, port } = new URL(baseUrl);
  const request = httpRequest({
    host: hostname,
    port,
    localAddress,
    method: 'POST',
    path,
    headers: {
      'content-type': 'application/json',
      'content-length': String(stall ?? Buffer.byteLength(body)),
      ...(key ? { 'x-api-key': key } : {}),
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.once('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(text) }),
      );
    });
  });
  request.write(body);
  if (stall === undefined) request.end();
  return { answer, drop: () => request.destroy() };
}

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

  /** A counter's series on the ingress's `/metrics`, as `first<-second` of the two labels named, to count. */
  async function counterSeries(name: string, first: string, second: string): Promise<Record<string, number>> {
    const text = await (await fetch(`${ingress.url}/metrics`)).text();
    const series = text.matchAll(new RegExp(`^${name}\\{(.*)\\} (\\d+)$`, 'gm'));
    return Object.fromEntries(
      [...series].map(([, labels, count]) => {
        const label = (labelName: string) => new RegExp(`${labelName}="([^"]*)"`).exec(labels)?.[1];
        return [`${label(first)}<-${label(second)}`, Number(count)];
      }),
    );
  }

  /**
   * An ingress of its own (system, budget and topics: an in-process service keeps the environment the
   * last one was given) whose upstream topic is deleted, so its sends wait for a topic to exist.
   */
  async function ingressWithoutTopic(system: string, env: Record<string, string>) {
    const topicPrefix = uniqueTopicPrefix();
    const topic = `${topicPrefix}stay-completed`;
    const service = await stage.start(AppModule, IngressConfig, {
      INGRESS_API_KEYS: `${system}:${AMSTERDAM_KEY}:AMS01`,
      INGRESS_EVENTS_PER_SECOND: '1000',
      KAFKA_TOPIC_PREFIX: topicPrefix,
      ...env,
    });
    const admin = probe.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
    // Deletion completes on the broker a moment after the answer; until then it still takes records.
    await waitUntil('the upstream topic gone', async () => !(await admin.listTopics()).includes(topic));
    const send = (event: unknown) =>
      fetch(`${service.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': AMSTERDAM_KEY },
        body: JSON.stringify(event),
      });
    const restoreTopic = async () => {
      if ((await admin.listTopics()).includes(topic)) return;
      // kafkajs's own wait for leaders gives up on a topic the broker does not host yet, as happens right
      // after a deletion: the metadata is polled here instead.
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: false });
      await waitUntil('the upstream topic back with a leader for each partition', async () => {
        const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
        return metadata.partitions.length === 3 && metadata.partitions.every((p) => p.leader >= 0);
      });
    };
    // The producer sends one request at a time, so once Kafka confirms a send every send before it has ended.
    const sendUntilConfirmed = async (event: unknown) => {
      let confirmed: Response | undefined;
      await waitUntil(
        'a send confirmed once the topic is back',
        async () => {
          const response = await send(event);
          if (response.status === 503) return false;
          confirmed = response;
          return true;
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      return confirmed as Response;
    };
    return {
      topic,
      send,
      restoreTopic,
      sendUntilConfirmed,
      ready: async () => (await fetch(`${service.url}/health/ready`)).json() as Promise<ReadinessReport>,
      close: async () => {
        try {
          // kafkajs cannot abort a send it has started, and goes on retrying one to a missing topic after its
          // producer is closed: the send still waiting must end before the service stops.
          await restoreTopic();
          const confirmed = await sendUntilConfirmed(stayAt('AMS01'));
          if (confirmed.status !== 202)
            throw new Error(`a send after the outage answered ${confirmed.status}`);
        } finally {
          await admin.disconnect();
          await stage.stop(service);
          await deleteTopicsWithPrefix(topicPrefix);
        }
      },
    };
  }

  beforeAll(async () => {
    stage = await TestStage.create('ingress');
    ({ prefix, probe } = stage);
    ingress = await stage.start(AppModule, IngressConfig, {
      INGRESS_API_KEYS: `opera-ams:${AMSTERDAM_KEY}:AMS01,central:${CENTRAL_KEY}:*,central:${CENTRAL_NEXT_KEY}:*`,
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

  it('should answer 401, not 400 nor 413, to a request without a valid key whatever its body', async () => {
    const localAddress = ownLoopbackAddress();
    const malformed = postFrom(ingress.url, { path: '/v1/events', localAddress, body: '{"id": ' });
    const overLimit = postFrom(ingress.url, {
      path: '/v1/events/batch',
      localAddress,
      key: 'not-a-key-of-anyone',
      body: JSON.stringify({ events: [{ ...stayAt('AMS01'), padding: 'x'.repeat(30_000) }] }),
    });

    expect(await malformed.answer).toMatchObject({ status: 401, body: { code: 'API_KEY_MISSING' } });
    expect(await overLimit.answer).toMatchObject({ status: 401, body: { code: 'API_KEY_INVALID' } });
  });

  it('should log and count a request the key check refuses, and one it lets through, each once', async () => {
    /** `http_requests_total` of POSTs answered `status`, over every route. */
    const answered = async (status: number) => {
      const text = await (await fetch(`${ingress.url}/metrics`)).text();
      return [...text.matchAll(/^http_requests_total\{(.*)\} (\d+)$/gm)]
        .filter(([, labels]) => labels.includes('method="POST"') && labels.includes(`status="${status}"`))
        .reduce((sum, [, , count]) => sum + Number(count), 0);
    };
    const [refusedBefore, acceptedBefore] = [await answered(401), await answered(202)];

    const refused = await postFrom(ingress.url, {
      path: '/v1/events',
      localAddress: ownLoopbackAddress(),
      key: 'not-a-key-of-anyone',
      body: JSON.stringify(stayAt('AMS01')),
    }).answer;
    const accepted = await post('/v1/events', stayAt('AMS01'), AMSTERDAM_KEY);

    expect(refused.status).toBe(401);
    expect(refused.headers['x-correlation-id']).toMatch(/\S/);
    expect(accepted.status).toBe(202);
    // The metrics are recorded as each answer's connection closes, just after the client has read it.
    await waitUntil('both answers counted', async () =>
      (await answered(401)) > refusedBefore && (await answered(202)) > acceptedBefore ? true : undefined,
    );
    expect(await answered(401)).toBe(refusedBefore + 1);
    expect(await answered(202)).toBe(acceptedBefore + 1);
  });

  it('should refuse a request without a valid key before reading its body', async () => {
    const { answer, drop } = postFrom(ingress.url, {
      path: '/v1/events',
      localAddress: ownLoopbackAddress(),
      key: 'not-a-key-of-anyone',
      body: '{"id": "',
      stall: 10_000,
    });
    try {
      // A server reading the body would wait for the rest of it, which never comes.
      const inTime = new Promise<'no answer'>((resolve) =>
        setTimeout(() => resolve('no answer'), 3_000).unref(),
      );
      expect(await Promise.race([answer, inTime])).toMatchObject({
        status: 401,
        body: { code: 'API_KEY_INVALID' },
      });
    } finally {
      drop();
    }
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

  it('should warn and count, naming both systems, when a system sends an id another one sent first, and answer it as before', async () => {
    const CLAIMED = 'an upstream system sent event ids another system had sent first';
    const claimedSeries = () => counterSeries('ingress_event_ids_claimed_total', 'system', 'recorded_by');
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    const claimWarnings = () =>
      warnings.mock.calls
        .map(([fields]) => fields as { msg?: string })
        .filter((fields) => fields?.msg === CLAIMED);
    try {
      const stay = stayAt('AMS01');
      const before = await claimedSeries();
      expect((await post('/v1/events', stay, AMSTERDAM_KEY)).status).toBe(202);
      expect((await post('/v1/events', stay, AMSTERDAM_KEY)).status).toBe(200);
      expect(claimWarnings()).toEqual([]);
      expect(await claimedSeries()).toEqual(before);

      const resent = await post('/v1/events', stay, CENTRAL_KEY);
      const changed = { ...stay, data: { ...stay.data, roomType: 'SUITE-CHANGED' } };
      const reused = await post('/v1/events/batch', { events: [changed, changed] }, CENTRAL_KEY);

      expect(resent.status).toBe(200);
      expect(await resent.json()).toMatchObject({ status: 'duplicate' });
      expect(await reused.json()).toMatchObject({ rejected: 2, results: [{ code: 'EVENT_ID_REUSED' }, {}] });
      const warning = { msg: CLAIMED, system: 'central', recordedBy: 'opera-ams', eventIds: [stay.id] };
      expect(claimWarnings()).toEqual([warning, warning]);
      expect(await claimedSeries()).toEqual({
        ...before,
        'central<-opera-ams': (before['central<-opera-ams'] ?? 0) + 2,
      });
    } finally {
      warnings.mockRestore();
    }
  });

  it('should let a system in with either of its keys, as one system, and count the requests of each key', async () => {
    const keyUses = () => counterSeries('ingress_api_key_requests_total', 'system', 'key');
    const claimsBefore = await counterSeries('ingress_event_ids_claimed_total', 'system', 'recorded_by');
    const usesBefore = await keyUses();
    const stay = stayAt('PAR01');

    expect((await post('/v1/events', stay, CENTRAL_KEY)).status).toBe(202);
    const resent = await post('/v1/events', stay, CENTRAL_NEXT_KEY);
    expect((await post('/v1/events', stayAt('LON02'), CENTRAL_NEXT_KEY)).status).toBe(202);

    expect(resent.status).toBe(200);
    expect(await resent.json()).toMatchObject({ status: 'duplicate' });
    expect(await counterSeries('ingress_event_ids_claimed_total', 'system', 'recorded_by')).toEqual(
      claimsBefore,
    );
    const added = Object.entries(await keyUses())
      .map(([series, count]) => [series, count - (usesBefore[series] ?? 0)])
      .filter(([, count]) => count !== 0)
      .sort(([, a], [, b]) => Number(a) - Number(b));
    expect(added).toEqual([
      [expect.stringMatching(/^central<-[0-9a-f]{8}$/), 1],
      [expect.stringMatching(/^central<-[0-9a-f]{8}$/), 2],
    ]);
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

  it('should read events sent with the CloudEvents media types, one event and a batch as a JSON array', async () => {
    const postAs = (path: string, contentType: string, body: unknown) =>
      fetch(`${ingress.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-api-key': AMSTERDAM_KEY },
        body: JSON.stringify(body),
      });
    const single = stayAt('AMS01');
    const batched = [stayAt('AMS01'), stayAt('AMS01')];

    const one = await postAs('/v1/events', 'application/cloudevents+json; charset=utf-8', single);
    const batch = await postAs('/v1/events/batch', 'application/cloudevents-batch+json', batched);

    expect(one.status).toBe(202);
    expect(await batch.json()).toMatchObject({ accepted: 2, rejected: 0 });
    for (const { id } of [single, ...batched]) {
      await probe.awaitRecords(`${prefix}stay-completed`, 1, (r) => r.json<{ id: string }>().id === id);
    }
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

  it('should answer 503 while Kafka cannot take the events, refuse other content under their ids, and accept the same events sent again', async () => {
    const { topic, send, restoreTopic, sendUntilConfirmed, close } = await ingressWithoutTopic(
      'opera-outage',
      {
        INGRESS_PUBLISH_TIMEOUT_MS: '1500',
      },
    );
    try {
      const stay = stayAt('AMS01');
      const sentUnconfirmed = await send(stay);
      expect(sentUnconfirmed.status).toBe(503);
      expect(sentUnconfirmed.headers.get('retry-after')).toBe('5');
      expect(await sentUnconfirmed.json()).toMatchObject({
        code: 'PUBLISH_NOT_CONFIRMED',
        message: expect.stringContaining('kept as unconfirmed'),
      });
      // Its first copy may still land, and consumers keep the first copy of an id.
      const changed = { ...stay, data: { ...stay.data, roomType: 'SUITE-CHANGED' } };
      const refused = await send(changed);
      expect(refused.status).toBe(422);
      expect(await refused.json()).toMatchObject({ code: 'EVENT_ID_REUSED' });
      // Waits behind the send still in flight, and is taken back unsent when its time is up.
      const neverSent = stayAt('AMS01');
      const notStarted = await send(neverSent);
      expect(notStarted.status).toBe(503);
      expect(await notStarted.json()).toMatchObject({
        code: 'PUBLISH_NOT_CONFIRMED',
        message: expect.stringContaining('none was sent or recorded'),
      });

      await restoreTopic();
      await probe.watch(topic);
      // The sender's retries: the first that Kafka confirms in time is published again and accepted.
      const accepted = await sendUntilConfirmed(stay);
      expect(accepted.status).toBe(202);
      expect(await accepted.json()).toMatchObject({ id: stay.id, status: 'accepted' });
      const again = await send(stay);
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ status: 'duplicate' });
      // Sent after everything before it was acknowledged: once it is seen, a late copy would be too.
      const marker = stayAt('AMS01');
      expect((await send(marker)).status).toBe(202);
      await probe.awaitRecords(topic, 1, (r) => r.json<{ id: string }>().id === marker.id);
      const copies = probe.seen(topic).filter((r) => r.json<{ id: string }>().id === stay.id);
      expect(copies.length).toBeGreaterThanOrEqual(1);
      expect(copies.map((r) => r.json<EventEnvelope<'stay-completed'>>().data.roomType)).not.toContain(
        'SUITE-CHANGED',
      );
      expect(probe.seen(topic).filter((r) => r.json<{ id: string }>().id === neverSent.id)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('should record the ids of events Kafka confirmed when their transaction fails to commit, so a re-send is a duplicate and other content under them refused', async () => {
    const stay = stayAt('AMS01');
    // A check Postgres runs at the commit, failing the first commit that records the stay's id.
    await stage.db.query(`create table commit_refused (event_id uuid primary key);
      create sequence commit_refusals;
      create function refuse_first_commit() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from commit_refused where event_id = new.event_id) then
          if nextval('commit_refusals') = 1 then raise exception 'commit refused by the test'; end if;
        end if;
        return null;
      end $$;
      create constraint trigger refuse_first_commit after insert on ingested_events
        deferrable initially deferred for each row execute function refuse_first_commit();`);
    try {
      await stage.db.query('insert into commit_refused values ($1)', [stay.id]);

      const first = await post('/v1/events', stay, AMSTERDAM_KEY);
      const again = await post('/v1/events', stay, AMSTERDAM_KEY);
      const changed = { ...stay, data: { ...stay.data, roomType: 'SUITE-CHANGED' } };
      const reused = await post('/v1/events', changed, AMSTERDAM_KEY);

      expect(await stage.db.query("select nextval('commit_refusals') as n")).toEqual([{ n: '3' }]);
      expect(first.status).toBe(202);
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ status: 'duplicate' });
      expect(reused.status).toBe(422);
      expect(await reused.json()).toMatchObject({ code: 'EVENT_ID_REUSED' });
      const marker = stayAt('AMS01');
      await post('/v1/events', marker, AMSTERDAM_KEY);
      await probe.awaitRecords(
        `${prefix}stay-completed`,
        1,
        (r) => r.json<{ id: string }>().id === marker.id,
      );
      expect(onKafka(stay.id).map((r) => r.json<EventEnvelope<'stay-completed'>>().data.roomType)).toEqual([
        stay.data.roomType,
      ]);
    } finally {
      await stage.db.query(`drop trigger refuse_first_commit on ingested_events;
        drop function refuse_first_commit; drop sequence commit_refusals; drop table commit_refused`);
    }
  });

  it('should answer 503 with Retry-After, never 500, and stay ready when more requests wait for a slow Kafka than the pool has connections', async () => {
    // One connection for ingestion; each request holds its transaction longer than the pool lets a
    // caller wait for a connection.
    const { send, ready, close } = await ingressWithoutTopic('opera-slow', {
      DATABASE_POOL_SIZE: '3',
      INGRESS_PUBLISH_TIMEOUT_MS: '6000',
    });
    try {
      const answers = Promise.all(
        Array.from({ length: 6 }, async () => {
          const response = await send(stayAt('AMS01'));
          const { code } = (await response.json()) as { code?: string };
          return { status: response.status, retryAfter: response.headers.get('retry-after'), code };
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await ready()).checks['postgres']).toMatchObject({ status: 'up' });

      const codes = new Set<string | undefined>();
      for (const answer of await answers) {
        expect(answer).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
        codes.add(answer.code);
      }
      expect([...codes].sort()).toEqual(['INGRESS_BUSY', 'PUBLISH_NOT_CONFIRMED']);
    } finally {
      await close();
    }
  });

  describe('with 3 requests without a valid key a minute for each client address', () => {
    let guarded: InProcessService;
    // Behind one load balancer, whose X-Forwarded-For it believes.
    let proxied: InProcessService;

    beforeAll(async () => {
      const env = { INGRESS_EVENTS_PER_SECOND: '1000', INGRESS_AUTH_FAILURES_PER_MINUTE: '3' };
      guarded = await stage.start(AppModule, IngressConfig, {
        ...env,
        INGRESS_API_KEYS: `opera-guarded:${AMSTERDAM_KEY}:AMS01`,
      });
      proxied = await stage.start(AppModule, IngressConfig, {
        ...env,
        INGRESS_API_KEYS: `opera-proxied:${AMSTERDAM_KEY}:AMS01`,
        TRUST_PROXY: '1',
      });
    });

    afterAll(async () => {
      await stage.stop(proxied);
      await stage.stop(guarded);
    });

    /** Posts a stay to `service` from `localAddress`, as a proxy forwarding it from `forwardedFor` if given. */
    const sendTo = (service: InProcessService, localAddress: string, key?: string, forwardedFor?: string) =>
      postFrom(service.url, {
        path: '/v1/events',
        localAddress,
        forwardedFor,
        key,
        body: JSON.stringify(stayAt('AMS01')),
      }).answer;
    const send = (localAddress: string, key?: string) => sendTo(guarded, localAddress, key);

    /** Waits for the next minute if this one ends soon: the failures a test counts must fall in one. */
    async function inOneMinute(): Promise<void> {
      const leftOfMinute = 60_000 - (Date.now() % 60_000);
      if (leftOfMinute < 10_000) await new Promise((resolve) => setTimeout(resolve, leftOfMinute + 100));
    }

    it('should answer 429 with Retry-After to an address past the limit, and never refuse a valid key, from that address (a shared proxy) or others', async () => {
      await inOneMinute();
      const guesser = ownLoopbackAddress();
      const system = ownLoopbackAddress();

      for (let i = 0; i < 4; i++) expect((await send(system, AMSTERDAM_KEY)).status).toBe(202);
      const guesses = [await send(guesser), await send(guesser, 'guess-1'), await send(guesser, 'guess-2')];
      const limited = await send(guesser, 'guess-3');
      const validFromGuessersAddress = await send(guesser, AMSTERDAM_KEY);

      expect(guesses.map((answer) => answer.body.code)).toEqual([
        'API_KEY_MISSING',
        'API_KEY_INVALID',
        'API_KEY_INVALID',
      ]);
      expect(limited).toMatchObject({
        status: 429,
        body: { statusCode: 429, error: 'Too Many Requests', code: 'AUTH_FAILURES_LIMITED' },
      });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(validFromGuessersAddress.status).toBe(202);
      expect((await send(guesser, 'guess-4')).status).toBe(429);
      expect((await send(system, AMSTERDAM_KEY)).status).toBe(202);
    });

    it('should count the address a request comes from, whatever X-Forwarded-For says, when TRUST_PROXY is not set', async () => {
      await inOneMinute();
      const proxy = ownLoopbackAddress();
      const fromClients = (key: string) => sendTo(guarded, proxy, key, ownLoopbackAddress());

      const guesses = [
        await fromClients('guess-0'),
        await fromClients('guess-1'),
        await fromClients('guess-2'),
      ];

      expect(guesses.map((answer) => answer.status)).toEqual([401, 401, 401]);
      expect((await fromClients('guess-3')).status).toBe(429);
    });

    it('should count the client a trusted proxy forwards for, not the proxy, when TRUST_PROXY=1', async () => {
      await inOneMinute();
      const proxy = ownLoopbackAddress();
      const [guesser, other] = [ownLoopbackAddress(), ownLoopbackAddress()];
      const fromGuesser = (key: string) => sendTo(proxied, proxy, key, guesser);

      const guesses = [
        await fromGuesser('guess-0'),
        await fromGuesser('guess-1'),
        await fromGuesser('guess-2'),
      ];
      // One hop trusted: what the guesser itself put in front of the proxy's entry changes nothing.
      const limited = await sendTo(proxied, proxy, 'guess-3', `${ownLoopbackAddress()}, ${guesser}`);
      const otherClient = await sendTo(proxied, proxy, 'not-a-key-of-anyone', other);

      expect(guesses.map((answer) => answer.status)).toEqual([401, 401, 401]);
      expect(limited).toMatchObject({ status: 429, body: { code: 'AUTH_FAILURES_LIMITED' } });
      expect(otherClient).toMatchObject({ status: 401, body: { code: 'API_KEY_INVALID' } });
    });
  });

  describe('while Redis does not answer', () => {
    // Accepts connections and never replies, as a Redis stuck in a long command or a half-open link does.
    let silentRedis: Server;
    const connections: Socket[] = [];

    beforeAll(async () => {
      silentRedis = createServer((socket) => void connections.push(socket));
      await new Promise<void>((resolve) => silentRedis.listen(0, '127.0.0.1', resolve));
    });

    afterAll(async () => {
      for (const socket of connections) socket.destroy();
      await new Promise((resolve) => silentRedis.close(resolve));
    });

    const silentUrl = async () => {
      const address = silentRedis.address();
      return `redis://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    };
    const refusingUrl = async () => `redis://127.0.0.1:${await freePort()}`;

    it.each([
      ['refuses connections', refusingUrl],
      ['accepts connections but never replies', silentUrl],
    ])(
      'should answer 503 RATE_LIMITER_UNAVAILABLE with Retry-After, in time, when Redis %s',
      async (_, redisUrl) => {
        const cutOff = await stage.start(AppModule, IngressConfig, {
          INGRESS_API_KEYS: `opera-no-redis:${AMSTERDAM_KEY}:AMS01`,
          REDIS_URL: await redisUrl(),
          REDIS_COMMAND_TIMEOUT_MS: '300',
        });
        try {
          const response = await fetch(`${cutOff.url}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': AMSTERDAM_KEY },
            body: JSON.stringify(stayAt('AMS01')),
            // Far more than the command timeout; a request that hangs fails here, not at jest's timeout.
            signal: AbortSignal.timeout(5_000),
          });
          expect(response.status).toBe(503);
          expect(response.headers.get('retry-after')).toBe('5');
          expect(await response.json()).toMatchObject({ code: 'RATE_LIMITER_UNAVAILABLE' });
        } finally {
          await stage.stop(cutOff);
        }
      },
    );
  });
});
