import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  buildEvent,
  deterministicUuid,
  eventHeaders,
  partitionKey,
  sampleEventData,
} from '@loyalty/contracts';
import {
  BROKER_CLIENT,
  EventPublisher,
  INBOX_RETENTION_MS,
  OutboxRelay,
  OutboxWriter,
  type BrokerClient,
  type ProducerPort,
  type RelaySettings,
} from '@loyalty/messaging';
import {
  FixtureConfig,
  FixtureModule,
  HandlerScript,
  KafkaProbe,
  TestStage,
  waitUntil,
  type InProcessService,
  type TestDatabase,
} from '@loyalty/testing';

describe('outbox relay and consumer groups against the real broker and Postgres', () => {
  let stage: TestStage;
  let db: TestDatabase;
  let prefix: string;
  let probe: KafkaProbe;
  const groupId = `fixture-${randomUUID()}`;
  const instances: InProcessService[] = [];

  async function startInstance(name: string): Promise<InProcessService> {
    const service = await stage.start(FixtureModule, FixtureConfig, { KAFKA_CONSUMER_GROUP: groupId });
    service.app.get(HandlerScript).instance = name;
    instances.push(service);
    return service;
  }

  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql))[0].n);

  /** A relay of the test's own over `producer`, quiet, with these settings changed. */
  function relayOver(producer: ProducerPort, settings: Partial<RelaySettings> = {}): OutboxRelay {
    return new OutboxRelay(
      producer,
      {
        databaseUrl: db.url,
        batchSize: 100,
        maxSendBytes: 512 * 1024,
        pollIntervalMs: 200,
        retainPublishedMs: 60_000,
        retainInboxMs: INBOX_RETENTION_MS,
        shutdownFlushTimeoutMs: 5_000,
        sendTimeoutMs: 60_000,
        ...settings,
      },
      { published: () => undefined, backlog: () => undefined, warn: () => undefined, info: () => undefined },
    );
  }

  beforeAll(async () => {
    stage = await TestStage.create('outbox');
    ({ db, prefix, probe } = stage);
  });

  afterAll(() => stage?.close());

  it('should publish every pending event when the relay is stopped mid-way and restarted', async () => {
    const service = await startInstance('a');
    await probe.watch(`${prefix}points-earned`);
    const relay = service.app.get(OutboxRelay);
    const publisher = service.app.get(EventPublisher);
    const dataSource = service.app.get(DataSource);
    await relay.stop();

    const ids: string[] = [];
    for (let batch = 0; batch < 6; batch++) {
      await dataSource.transaction(async (manager) => {
        for (let i = 0; i < 50; i++) {
          const data = { ...sampleEventData('points-earned'), guestId: deterministicUuid(`guest-${i % 7}`) };
          const event = await publisher.publish(manager, 'points-earned', data);
          ids.push(event.id);
        }
      });
    }
    expect(await count('select count(*) as n from messaging_outbox where published_at is null')).toBe(300);

    relay.start();
    await waitUntil(
      'part of the outbox to be published',
      async () =>
        (await count('select count(*) as n from messaging_outbox where published_at is not null')) > 0,
    );
    await relay.stop();
    relay.start();

    await probe.awaitRecords(
      `${prefix}points-earned`,
      300,
      (r) => ids.includes(r.json<{ id: string }>().id),
      {
        timeoutMs: 60_000,
      },
    );
    await waitUntil(
      'all 300 events applied',
      async () =>
        (await count(
          `select count(distinct event_id) as n from applied where event_type = 'points-earned'`,
        )) === 300,
      { timeoutMs: 60_000 },
    );
    expect(await count(`select count(*) as n from applied where event_type = 'points-earned'`)).toBe(300);
    expect(await count('select count(*) as n from messaging_outbox where published_at is null')).toBe(0);
  });

  it('should store each event of a mixed batch in its own row, in order, as the exact JSON it was given', async () => {
    const service = instances[0] ?? (await startInstance('a'));
    await service.app.get(OutboxRelay).stop();
    try {
      const events = [
        buildEvent('tier-changed', sampleEventData('tier-changed'), {
          source: 'test',
          subject: randomUUID(),
        }),
        buildEvent(
          'points-earned',
          { ...sampleEventData('points-earned'), guestId: randomUUID() },
          { source: 'test' },
        ),
        // Text that JSON escapes, to show the stored payload is the event's own serialisation.
        buildEvent(
          'points-adjusted',
          { ...sampleEventData('points-adjusted'), reason: 'Goodwill: "late check-in" \\ café' },
          { source: 'test' },
        ),
      ];
      const { max } = (
        await db.query<{ max: string | null }>('select max(id) as max from messaging_outbox')
      )[0];
      await service.app
        .get(DataSource)
        .transaction((manager) => service.app.get(OutboxWriter).append(manager, events));

      const rows = await db.query<{
        event_id: string;
        event_type: string;
        topic: string;
        partition_key: string;
        payload: string;
        headers: Record<string, string>;
      }>(
        `select event_id, event_type, topic, partition_key, payload::text as payload, headers
         from messaging_outbox where id > $1 order by id`,
        [max ?? 0],
      );
      expect(rows).toEqual(
        events.map((event) => ({
          event_id: event.id,
          event_type: event.type,
          topic: `${prefix}${event.type}`,
          partition_key: partitionKey(event),
          payload: JSON.stringify(event),
          headers: eventHeaders(event),
        })),
      );
    } finally {
      service.app.get(OutboxRelay).start();
    }
  });

  it('should publish a backlog of one key larger than the broker takes in one batch, in several sends', async () => {
    // The running instance's relay stands aside: only one relay per database publishes.
    const service = instances[0] ?? (await startInstance('a'));
    const topic = `${prefix}points-earned`;
    await probe.watch(topic);
    await service.app.get(OutboxRelay).stop();
    const guestId = randomUUID();
    const ids = new Set<string>();
    // 1,500 events of one guest (one partition) are about 1.4 MB, above the broker's 1 MiB per batch.
    await service.app.get(DataSource).transaction(async (manager) => {
      for (let i = 0; i < 1_500; i++) {
        const data = { ...sampleEventData('points-earned'), guestId };
        ids.add((await service.app.get(EventPublisher).publish(manager, 'points-earned', data)).id);
      }
    });
    const relay = relayOver(service.app.get<BrokerClient>(BROKER_CLIENT).producer(), { batchSize: 2_000 });
    relay.start();
    try {
      await probe.awaitRecords(topic, 1_500, (r) => ids.has(r.json<{ id: string }>().id), {
        timeoutMs: 60_000,
      });
    } finally {
      await relay.stop();
    }
    expect(await count('select count(*) as n from messaging_outbox where published_at is null')).toBe(0);
    service.app.get(OutboxRelay).start();
  });

  it('should prune inbox rows and dead-letter marks older than the retention, inbox rows in short rounds, and keep the younger ones', async () => {
    const service = instances[0] ?? (await startInstance('a'));
    await service.app.get(OutboxRelay).stop();
    const group = `pruned-${randomUUID()}`;
    // 25,000 rows handled 200 days ago (more than two rounds), and 3 handled an hour ago.
    const handled = (count: number, age: string) =>
      db.query(
        `insert into messaging_inbox (consumer_group, event_id, event_type, topic, partition, "offset", processed_at)
         select $1, gen_random_uuid(), 'points-earned', 'points-earned', 0, n, now() - $2::interval
         from generate_series(1, $3::int) n`,
        [group, age, count],
      );
    await handled(25_000, '200 days');
    await handled(3, '1 hour');
    const deadLettered = (offsets: number[], age: string) =>
      db.query(
        `insert into messaging_dead_lettered (consumer_group, topic, partition, "offset", reason, dead_lettered_at)
         select $1, 'points-earned', 0, n, 'INVALID_DATA', now() - $2::interval from unnest($3::int[]) n`,
        [group, age, offsets],
      );
    await deadLettered([1, 2], '200 days');
    await deadLettered([3], '1 hour');
    const relay = relayOver(service.app.get<BrokerClient>(BROKER_CLIENT).producer());
    const left = () => count(`select count(*) as n from messaging_inbox where consumer_group = '${group}'`);
    relay.start();
    try {
      await waitUntil('the old inbox rows to be pruned', async () => (await left()) === 3);
      const marksLeft = () =>
        count(`select count(*) as n from messaging_dead_lettered where consumer_group = '${group}'`);
      await waitUntil('the old dead-letter marks to be pruned', async () => (await marksLeft()) === 1);
    } finally {
      await relay.stop();
    }
    expect(INBOX_RETENTION_MS).toBeGreaterThan(90 * 86_400_000);
    service.app.get(OutboxRelay).start();
  });

  it('should publish an event committed while the relay waits on the broker at once, not a poll interval later', async () => {
    const service = instances[0] ?? (await startInstance('a'));
    const topic = `${prefix}points-earned`;
    await probe.watch(topic);
    await service.app.get(OutboxRelay).stop();
    const publish = () =>
      service.app.get(DataSource).transaction((manager) =>
        service.app.get(EventPublisher).publish(manager, 'points-earned', {
          ...sampleEventData('points-earned'),
          guestId: randomUUID(),
        }),
      );
    // The first send is held until the test lets it go; the notification of a commit made meanwhile
    // reaches the relay while it is busy, which must not be lost until the next poll, a minute away.
    const broker = service.app.get<BrokerClient>(BROKER_CLIENT).producer();
    let releaseFirstSend = (): void => undefined;
    let firstSendStarted = (): void => undefined;
    const held = new Promise<void>((resolve) => (releaseFirstSend = resolve));
    const started = new Promise<void>((resolve) => (firstSendStarted = resolve));
    let sends = 0;
    const relay = relayOver(
      {
        connect: () => broker.connect(),
        disconnect: () => broker.disconnect(),
        send: async (messages) => {
          if (sends++ === 0) {
            firstSendStarted();
            await held;
          }
          await broker.send(messages);
        },
      },
      { pollIntervalMs: 60_000 },
    );
    const first = await publish();
    relay.start();
    try {
      await started;
      const second = await publish();
      await new Promise((resolve) => setTimeout(resolve, 500)); // for the notification to arrive
      releaseFirstSend();
      await probe.awaitRecords(topic, 2, (r) => [first.id, second.id].includes(r.json<{ id: string }>().id), {
        timeoutMs: 10_000,
      });
    } finally {
      await relay.stop();
      service.app.get(OutboxRelay).start();
    }
  });

  it('should give up its lock to another instance’s relay when the broker does not acknowledge its send', async () => {
    const service = instances[0] ?? (await startInstance('a'));
    const topic = `${prefix}points-earned`;
    await probe.watch(topic);
    await service.app.get(OutboxRelay).stop();
    const event = await service.app.get(DataSource).transaction((manager) =>
      service.app.get(EventPublisher).publish(manager, 'points-earned', {
        ...sampleEventData('points-earned'),
        guestId: randomUUID(),
      }),
    );
    // An instance that reaches Postgres but not the broker: its sends are never acknowledged.
    let sendStarted = (): void => undefined;
    const started = new Promise<void>((resolve) => (sendStarted = resolve));
    const cutOff = relayOver(
      {
        connect: async () => undefined,
        disconnect: async () => undefined,
        send: (_, { signal } = {}) =>
          new Promise<void>((_, reject) => {
            sendStarted();
            signal?.addEventListener('abort', () => reject(signal.reason));
          }),
      },
      { sendTimeoutMs: 1_000 },
    );
    const healthy = relayOver(service.app.get<BrokerClient>(BROKER_CLIENT).producer());
    cutOff.start();
    try {
      await started;
      healthy.start();
      await probe.awaitRecords(topic, 1, (r) => r.json<{ id: string }>().id === event.id, {
        timeoutMs: 15_000,
      });
    } finally {
      await Promise.all([cutOff.stop(), healthy.stop()]);
      service.app.get(OutboxRelay).start();
    }
  });

  it('should back off longer after each failure when it can connect but not publish', async () => {
    const service = instances[0] ?? (await startInstance('a'));
    await service.app.get(OutboxRelay).stop();
    await service.app.get(DataSource).transaction((manager) =>
      service.app.get(EventPublisher).publish(manager, 'points-earned', {
        ...sampleEventData('points-earned'),
        guestId: randomUUID(),
      }),
    );
    const failures: number[] = [];
    const relay = new OutboxRelay(
      {
        connect: async () => undefined,
        disconnect: async () => undefined,
        send: async () => {
          throw new Error('MESSAGE_TOO_LARGE');
        },
      },
      {
        databaseUrl: db.url,
        batchSize: 100,
        maxSendBytes: 512 * 1024,
        pollIntervalMs: 200,
        retainPublishedMs: 60_000,
        retainInboxMs: INBOX_RETENTION_MS,
        shutdownFlushTimeoutMs: 0,
        sendTimeoutMs: 60_000,
      },
      {
        published: () => undefined,
        backlog: () => undefined,
        warn: (fields) => failures.push((fields as { failures: number }).failures),
        info: () => undefined,
      },
    );
    relay.start();
    try {
      await waitUntil('three failed attempts', () => failures.length >= 3, { timeoutMs: 10_000 });
    } finally {
      await relay.stop();
      service.app.get(OutboxRelay).start();
    }
    // Each count sets the next wait: 500 ms, 1 s, 2 s, ... instead of 500 ms every time.
    expect(failures.slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('should split partitions between instances and apply each event once while a third joins and leaves', async () => {
    await startInstance('b');
    const before = await count(`select count(*) as n from applied where event_type = 'stay-recorded'`);
    const stays = Array.from({ length: 600 }, (_, i) => {
      const event = buildEvent(
        'stay-recorded',
        { ...sampleEventData('stay-recorded'), guestId: deterministicUuid(`guest-${i % 60}`) },
        { source: 'test' },
      );
      return { key: event.subject, event };
    });

    let churning = true;
    const churn = (async () => {
      while (churning) {
        const third = await startInstance('c');
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        await stage.stop(third);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    })();

    for (let i = 0; i < stays.length; i += 100) {
      await probe.produceJson(`${prefix}stay-recorded`, stays.slice(i, i + 100));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    await probe.awaitGroupCaughtUp(groupId, [`${prefix}stay-recorded`], { timeoutMs: 90_000 });
    churning = false;
    await churn;

    expect(
      await count(`select count(*) - ${before} as n from applied where event_type = 'stay-recorded'`),
    ).toBe(600);
    expect(
      await count(`select count(distinct event_id) as n from applied where event_type = 'stay-recorded'`),
    ).toBe(600);
    const byInstance = await db.query<{ instance: string }>(
      `select distinct instance from applied where event_type = 'stay-recorded'`,
    );
    expect(byInstance.map((r) => r.instance)).toEqual(expect.arrayContaining(['a', 'b']));
  });
});
