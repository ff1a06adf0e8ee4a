import { randomBytes, randomUUID } from 'node:crypto';
import {
  buildEvent,
  DEAD_LETTER_HEADERS,
  deterministicUuid,
  sampleEventData,
  type EventData,
  type EventEnvelope,
  type EventType,
} from '@loyalty/contracts';
import { Logger } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { EventTransport, laneGroupId } from '@loyalty/messaging';
import { CorrelationContext } from '@loyalty/observability';
import {
  KafkaProbe,
  waitUntil,
  type InProcessService,
  type TestDatabase,
  FixtureConfig,
  FixtureModule,
  HandlerScript,
  TestStage,
  testInfrastructure,
} from '@loyalty/testing';

describe('event transport against the real broker and Postgres', () => {
  let stage: TestStage;
  let db: TestDatabase;
  let prefix: string;
  let service: InProcessService;
  let probe: KafkaProbe;
  let script: HandlerScript;
  const groupId = `fixture-${randomUUID()}`;

  const topic = (type: string) => `${prefix}${type}`;
  const appliedCount = async (eventId: string) =>
    Number(
      (await db.query<{ n: string }>('select count(*) as n from applied where event_id = $1', [eventId]))[0]
        .n,
    );

  /** A valid event of `type` for the guest named `guest` (its id derived from the name). */
  function event<T extends 'points-earned' | 'stay-recorded'>(type: T, guest: string): EventEnvelope<T> {
    const data = { ...sampleEventData(type), guestId: guestId(guest) } as EventData<T>;
    return buildEvent(type, data, { source: 'test/fixture' });
  }
  const guestId = (name: string) => deterministicUuid(name);

  async function send(...events: EventEnvelope<EventType>[]): Promise<void> {
    await probe.produceJson(
      topic(events[0].type),
      events.map((e) => ({ key: e.subject, event: e })),
    );
  }

  /** The first dead letter of `points-earned` for the guest named `guest`. */
  async function deadLetterOf(guest: string) {
    const [letter] = await probe.awaitRecords(topic('points-earned.dlq'), 1, (r) => r.key === guestId(guest));
    return letter;
  }

  /** The `consumer_lag` series the service reports for one partition of an event topic. */
  async function lagOf(type: string, partition: number): Promise<string[]> {
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    return metrics
      .split('\n')
      .filter((line) => line.startsWith('consumer_lag{'))
      .filter((line) => line.includes(`topic="${topic(type)}",partition="${partition}"`))
      .map((line) => line.split(' ').at(-1) as string);
  }

  async function awaitApplied(eventId: string): Promise<void> {
    await waitUntil(`event ${eventId} to be applied`, async () => (await appliedCount(eventId)) > 0, {
      timeoutMs: 60_000,
    });
  }

  beforeAll(async () => {
    stage = await TestStage.create('transport');
    ({ db, prefix, probe } = stage);
    service = await stage.start(FixtureModule, FixtureConfig, { KAFKA_CONSUMER_GROUP: groupId });
    script = service.app.get(HandlerScript);
    await probe.watch(topic('points-earned.dlq'), topic('stay-recorded.dlq'));
  });

  afterAll(() => stage?.close());

  it('should apply an event once when it is delivered twice', async () => {
    const twice = event('points-earned', 'guest-dup');
    const after = event('points-earned', 'guest-dup');
    await send(twice, twice, after);
    await awaitApplied(after.id);
    expect(await appliedCount(twice.id)).toBe(1);
    expect(script.invocations.get(twice.id)).toBe(1);
  });

  it('should report no consumer lag on a partition whose fetched records are all handled', async () => {
    const events = Array.from({ length: 5 }, () => event('points-earned', 'guest-lag'));
    // Written in one request, so the consumer fetches them as one batch.
    await probe.produce(
      topic('points-earned'),
      events.map((e) => ({ key: e.subject, value: JSON.stringify(e), partition: 0 })),
    );
    await probe.awaitGroupCaughtUp(groupId, [topic('points-earned')]);
    expect(await lagOf('points-earned', 0)).toEqual(['0']);
  });

  it('should commit past the marker that ends a transaction, so a transactional producer leaves no lag', async () => {
    const events = Array.from({ length: 3 }, () => event('points-earned', 'guest-transactional'));
    const kafka = new Kafka({
      brokers: testInfrastructure().kafkaBrokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({
      transactionalId: `tx-${randomUUID()}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      // As a property system's exactly-once producer writes: the records, then the transaction's marker.
      const transaction = await producer.transaction();
      await transaction.send({
        topic: topic('points-earned'),
        messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e), partition: 2 })),
      });
      await transaction.commit();
    } finally {
      await producer.disconnect();
    }
    await awaitApplied(events[2].id);
    await probe.awaitGroupCaughtUp(groupId, [topic('points-earned')], { timeoutMs: 15_000 });
    expect(await lagOf('points-earned', 2)).toEqual(['0']);
  });

  it('should dead-letter invalid, unknown-version and non-JSON events with a reason and go on with the next one', async () => {
    const valid = event('points-earned', 'guest-dlq');
    const invalid = { ...event('points-earned', 'guest-dlq'), data: { nonsense: true } };
    const unknownVersion = { ...event('points-earned', 'guest-dlq'), dataversion: '99' };
    const garbage = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x7b]);
    const key = guestId('guest-dlq');
    await probe.produce(topic('points-earned'), [
      { key, value: JSON.stringify(invalid) },
      { key, value: JSON.stringify(unknownVersion) },
      { key, value: garbage },
      { key, value: JSON.stringify(valid) },
    ]);
    await awaitApplied(valid.id);
    const letters = await probe.awaitRecords(topic('points-earned.dlq'), 3, (r) => r.key === key);
    expect(letters.map((r) => r.headers[DEAD_LETTER_HEADERS.reason])).toEqual([
      'INVALID_DATA',
      'UNKNOWN_VERSION',
      'NOT_JSON',
    ]);
    expect(letters[2].value).toEqual(garbage);
    expect(letters[0].headers[DEAD_LETTER_HEADERS.sourceTopic]).toBe(topic('points-earned'));
    expect(letters[0].headers[DEAD_LETTER_HEADERS.detail]).toMatch(/data/);
    expect(await appliedCount(invalid.id)).toBe(0);
  });

  it('should apply a platform event carrying a payload field a newer release of its producer added', async () => {
    const newer = event('points-earned', 'guest-newer-producer');
    await send({
      ...newer,
      data: { ...newer.data, fieldOfANewerRelease: { kept: false } } as typeof newer.data,
    });
    await awaitApplied(newer.id);
    expect(script.invocations.get(newer.id)).toBe(1);
    await probe.awaitSeenToEnd([topic('points-earned.dlq')]);
    expect(probe.seen(topic('points-earned.dlq')).filter((r) => r.key === newer.subject)).toEqual([]);
  });

  it('should dead-letter an event with a binary header and a repeated one, both byte for byte', async () => {
    const invalid = { ...event('points-earned', 'guest-dlq-headers'), data: { nonsense: true } };
    await probe.produce(topic('points-earned'), [
      {
        key: guestId('guest-dlq-headers'),
        value: JSON.stringify(invalid),
        headers: { 'x-bin': Buffer.from([0xff, 0x00, 0xfe]), 'x-a': ['1', '2'] },
      },
    ]);
    const letter = await deadLetterOf('guest-dlq-headers');
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toBe('INVALID_DATA');
    expect(Object.entries(letter.rawHeaders).filter(([name]) => !name.startsWith('dlq-'))).toEqual([
      ['x-bin', Buffer.from([0xff, 0x00, 0xfe])],
      ['x-a', [Buffer.from('1'), Buffer.from('2')]],
    ]);
  });

  it('should dead-letter an invalid event that reached the topic compressed, larger than the broker takes plain', async () => {
    const key = guestId('guest-dlq-large');
    const large = JSON.stringify({ specversion: '1.0', padding: 'x'.repeat(3 * 1024 * 1024) });
    const next = event('points-earned', 'guest-dlq-large');
    await probe.produce(topic('points-earned'), [{ key, value: large }], { compressed: true });
    await send(next);
    await awaitApplied(next.id);
    const letter = await deadLetterOf('guest-dlq-large');
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toBe('INVALID_ENVELOPE');
    expect(letter.value?.toString()).toBe(large);
  });

  it('should dead-letter without its value, and go on, an event too large to be written to the dead-letter topic at all', async () => {
    const key = guestId('guest-dlq-too-large');
    // Random bytes do not compress: the largest value the broker takes, to which a letter adds headers.
    let size = 1024 * 1024;
    for (; ; size -= 256) {
      try {
        await probe.produce(topic('points-earned'), [{ key, value: randomBytes(size) }]);
        break;
      } catch (error) {
        if (!String(error).includes('larger than the max message size')) throw error;
      }
    }
    const next = event('points-earned', 'guest-dlq-too-large');
    await send(next);
    await awaitApplied(next.id);
    const letter = await deadLetterOf('guest-dlq-too-large');
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toBe('NOT_JSON');
    expect(letter.headers[DEAD_LETTER_HEADERS.valueOmitted]).toBe(`too large (${size} bytes)`);
    expect(letter.value).toBeNull();
  });

  it('should retry a handler that fails twice, without a dead letter and in per-guest order', async () => {
    const [first, flaky, last] = [1, 2, 3].map(() => event('points-earned', 'guest-order'));
    script.failuresLeft.set(flaky.id, 2);
    await send(first, flaky, last);
    await awaitApplied(last.id);
    const rows = await db.query<{ event_id: string }>(
      `select event_id from applied where subject = $1 order by seq`,
      [guestId('guest-order')],
    );
    expect(rows.map((r) => r.event_id)).toEqual([first.id, flaky.id, last.id]);
    expect(script.invocations.get(flaky.id)).toBe(3);
    expect(
      probe.seen(topic('points-earned.dlq')).filter((r) => r.key === guestId('guest-order')),
    ).toHaveLength(0);
  });

  it("should log an event's retries and its dead letter with the event's correlation id", async () => {
    const [flaky, poison] = [1, 2].map(() => event('points-earned', 'guest-logged'));
    script.failuresLeft.set(flaky.id, 1);
    script.failuresLeft.set(poison.id, 99);
    const logged: { line: string; correlationId?: string }[] = [];
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(function (message: unknown) {
      logged.push({ line: String(message), correlationId: CorrelationContext.correlationId() });
    });
    try {
      await send(flaky, poison);
      await deadLetterOf('guest-logged');
      await awaitApplied(flaky.id);
    } finally {
      warn.mockRestore();
    }
    const about = (id: string) => logged.filter(({ line }) => line.includes(id));
    expect(about(flaky.id)).not.toEqual([]);
    expect(about(flaky.id).map(({ correlationId }) => correlationId)).toEqual(
      about(flaky.id).map(() => flaky.correlationid),
    );
    expect(about(poison.id).map(({ correlationId }) => correlationId)).toContain(poison.correlationid);
    expect(about(poison.id).every(({ correlationId }) => correlationId === poison.correlationid)).toBe(true);
  });

  it('should run what a handler defers to after its commit once the commit is visible, and never for an attempt that rolled back', async () => {
    const [flaky, poison, next] = [1, 2, 3].map(() => event('points-earned', 'guest-after-commit'));
    script.failuresLeft.set(flaky.id, 1);
    script.permanentFailures.add(poison.id);
    await send(flaky, poison, next);
    await waitUntil('the last event to be committed', () => script.afterCommit.has(next.id), {
      timeoutMs: 60_000,
    });
    // Each entry is what one action saw from outside the transaction: the event's row, committed.
    expect(script.afterCommit.get(flaky.id)).toEqual([1]);
    expect(script.afterCommit.get(next.id)).toEqual([1]);
    expect(script.afterCommit.has(poison.id)).toBe(false);
  });

  it('should dead-letter a poison event after its attempts and process the next event', async () => {
    const poison = event('points-earned', 'guest-poison');
    const next = event('points-earned', 'guest-poison');
    script.permanentFailures.add(poison.id);
    await send(poison, next);
    await awaitApplied(next.id);
    const letter = await deadLetterOf('guest-poison');
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toBe('HANDLER_FAILED');
    expect(letter.headers[DEAD_LETTER_HEADERS.attempts]).toBe('3');
    expect(letter.headers[DEAD_LETTER_HEADERS.errorClass]).toBe('Error');
    expect(await appliedCount(poison.id)).toBe(0);
  });

  it("should dead-letter at once, as the service's bug, an event whose handler publishes an invalid event", async () => {
    const valid = event('points-earned', 'guest-invalid-outgoing');
    const next = event('points-earned', 'guest-invalid-outgoing');
    script.publishesInvalid.add(valid.id);
    await send(valid, next);
    await awaitApplied(next.id);
    const letter = await deadLetterOf('guest-invalid-outgoing');
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toBe('OUTGOING_EVENT_INVALID');
    expect(letter.headers[DEAD_LETTER_HEADERS.attempts]).toBe('1');
    expect(letter.headers[DEAD_LETTER_HEADERS.detail]).toMatch(/points/);
    expect(await appliedCount(valid.id)).toBe(0);
  });

  it('should run a handler that outlives the session timeout once, without a rebalance', async () => {
    const transport = service.app.get(EventTransport);
    const joinsBefore = transport.groupJoins;
    const slow = event('points-earned', 'guest-slow');
    const next = event('points-earned', 'guest-slow');
    script.stallMs.set(slow.id, 10_000); // the fixture's session timeout is 6 s
    await send(slow, next);
    await awaitApplied(next.id);
    expect(script.invocations.get(slow.id)).toBe(1);
    expect(await appliedCount(slow.id)).toBe(1);
    expect(transport.groupJoins).toBe(joinsBefore);
  });

  it('should go on with a laned topic while a handler of another topic is still at work', async () => {
    const slow = event('points-earned', 'guest-lane');
    const stay = event('stay-recorded', 'guest-lane');
    script.stallMs.set(slow.id, 8_000);
    await send(slow);
    await waitUntil('the slow event to be in its handler', () => script.invocations.has(slow.id), {
      timeoutMs: 60_000,
    });
    await send(stay);
    await awaitApplied(stay.id);
    // Without the lane, the stay would wait for the fetch that holds the slow event to be handled.
    expect(await appliedCount(slow.id)).toBe(0);
    await awaitApplied(slow.id);

    const admin = probe.admin();
    await admin.connect();
    try {
      const committedBy = async (group: string, type: EventType) => {
        const [{ partitions }] = await admin.fetchOffsets({ groupId: group, topics: [topic(type)] });
        return partitions.some((p) => Number(p.offset) > 0);
      };
      const lane = laneGroupId(groupId, [{ types: ['stay-recorded'] }], 'stay-recorded');
      expect(lane).toBe(`${groupId}.stay-recorded`);
      expect(await committedBy(lane, 'stay-recorded')).toBe(true);
      expect(await committedBy(groupId, 'stay-recorded')).toBe(false);
      expect(await committedBy(groupId, 'points-earned')).toBe(true);
    } finally {
      await admin.disconnect();
    }
  });

  it('should apply a batch once per event when the batch itself repeats events', async () => {
    const stays = Array.from({ length: 200 }, (_, i) => event('stay-recorded', `guest-batch-${i % 20}`));
    const marker = event('stay-recorded', 'guest-batch-0');
    await send(...stays, ...stays.slice(0, 25), marker);
    await probe.awaitGroupCaughtUp(groupId, [topic('stay-recorded')], { timeoutMs: 60_000 });
    const [{ total, distinct }] = await db.query<{ total: string; distinct: string }>(
      `select count(*) as total, count(distinct event_id) as distinct from applied where event_id = any($1::uuid[])`,
      [[...stays, marker].map((e) => e.id)],
    );
    expect(Number(distinct)).toBe(201);
    expect(Number(total)).toBe(201);
  });

  it('should apply a batch of events whose ids are in upper case once each, redelivered in lower case', async () => {
    const stays = Array.from({ length: 10 }, () => event('stay-recorded', 'guest-batch-shouted'));
    const shouted = stays.map((stay) => ({ ...stay, id: stay.id.toUpperCase() }));
    await send(...shouted, ...stays);
    await probe.awaitGroupCaughtUp(groupId, [topic('stay-recorded')], { timeoutMs: 60_000 });
    const [{ total, distinct }] = await db.query<{ total: string; distinct: string }>(
      `select count(*) as total, count(distinct event_id) as distinct from applied where event_id = any($1::uuid[])`,
      [stays.map((e) => e.id)],
    );
    expect(Number(distinct)).toBe(10);
    expect(Number(total)).toBe(10);
  });

  it('should dead-letter only the poison event of a batch and apply the rest of it once', async () => {
    const stays = Array.from({ length: 30 }, () => event('stay-recorded', 'guest-batch-poison'));
    const poison = stays[12];
    script.permanentFailures.add(poison.id);
    await send(...stays);
    const [letter] = await probe.awaitRecords(
      topic('stay-recorded.dlq'),
      1,
      (r) => r.json<{ id: string }>().id === poison.id,
      { timeoutMs: 60_000 },
    );
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toBe('HANDLER_FAILED');
    await probe.awaitGroupCaughtUp(groupId, [topic('stay-recorded')], { timeoutMs: 60_000 });
    const applied = await db.query<{ event_id: string }>(
      `select event_id from applied where subject = $1 order by seq`,
      [guestId('guest-batch-poison')],
    );
    expect(applied.map((r) => r.event_id)).toEqual(stays.filter((e) => e !== poison).map((e) => e.id));
    // The batch's rolled-back attempt deferred nothing; each event isolated after it did, once.
    expect(stays.filter((e) => e !== poison).map((e) => script.afterCommit.get(e.id))).toEqual(
      stays.filter((e) => e !== poison).map(() => [1]),
    );
    expect(script.afterCommit.has(poison.id)).toBe(false);
  });

  it('should not dead-letter a record again when it is delivered again after a lost offset commit, and dead-letter a replayed copy afresh', async () => {
    const group = `fixture-${randomUUID()}`;
    const key = guestId('guest-dlq-redelivered');
    const value = JSON.stringify({
      ...event('points-earned', 'guest-dlq-redelivered'),
      data: { nonsense: true },
    });
    const lettersOfGroup = (count: number) =>
      probe.awaitRecords(
        topic('points-earned.dlq'),
        count,
        (r) => r.key === key && r.headers[DEAD_LETTER_HEADERS.consumerGroup] === group,
        { timeoutMs: 60_000 },
      );
    const sourceOffsets = (letters: { headers: Record<string, string> }[]) =>
      letters.map((letter) => letter.headers[DEAD_LETTER_HEADERS.sourceOffset]);
    const reader = await stage.start(FixtureModule, FixtureConfig, { KAFKA_CONSUMER_GROUP: group });
    await probe.produce(topic('points-earned'), [{ key, value }]);
    const [letter] = await lettersOfGroup(1);
    await stage.stop(reader);

    // The group's commit of that offset is lost: its next member is given the record again.
    const admin = probe.admin();
    await admin.connect();
    try {
      await admin.setOffsets({
        groupId: group,
        topic: topic('points-earned'),
        partitions: [
          {
            partition: Number(letter.headers[DEAD_LETTER_HEADERS.sourcePartition]),
            offset: letter.headers[DEAD_LETTER_HEADERS.sourceOffset],
          },
        ],
      });
    } finally {
      await admin.disconnect();
    }
    await stage.start(FixtureModule, FixtureConfig, { KAFKA_CONSUMER_GROUP: group });
    // A replay writes the record anew, behind the redelivered one on the same partition.
    await probe.produce(topic('points-earned'), [{ key, value }]);
    const letters = await lettersOfGroup(2);
    const firstAt = Number(letter.headers[DEAD_LETTER_HEADERS.sourceOffset]);
    expect(Number(sourceOffsets(letters)[1])).toBeGreaterThan(firstAt);
    expect(sourceOffsets(letters)[0]).toBe(String(firstAt));
  });

  it('should dead-letter a record at a position marked for another record before, as in a recreated topic', async () => {
    const guest = 'guest-dlq-recreated-topic';
    const admin = probe.admin();
    await admin.connect();
    // Just after the topic is created, its partitions may not have a leader to answer yet.
    const ends = await waitUntil('the ends of points-earned', () =>
      admin.fetchTopicOffsets(topic('points-earned')),
    ).finally(() => admin.disconnect());
    // Marks of a former incarnation of the topic, at every position the next record can take.
    for (const { partition, offset } of ends) {
      await db.query(
        `insert into messaging_dead_lettered (consumer_group, topic, partition, "offset", record_timestamp, reason)
         values ($1, $2, $3, $4, 1, 'INVALID_DATA')`,
        [groupId, topic('points-earned'), partition, offset],
      );
    }
    await probe.produce(topic('points-earned'), [
      {
        key: guestId(guest),
        value: JSON.stringify({ ...event('points-earned', guest), data: { nonsense: true } }),
      },
    ]);

    // Every group reading the topic in this file dead-letters the record; this one holds the marks.
    const [letter] = await probe.awaitRecords(
      topic('points-earned.dlq'),
      1,
      (r) => r.key === guestId(guest) && r.headers[DEAD_LETTER_HEADERS.consumerGroup] === groupId,
    );
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toBe('INVALID_DATA');
  });
});
