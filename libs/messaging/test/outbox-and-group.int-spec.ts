import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { buildEvent, deterministicUuid, sampleEventData } from '@loyalty/contracts';
import { EventPublisher, OutboxRelay } from '@loyalty/messaging';
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

  async function startInstance(name: string): Promise<InProcessService> {
    const service = await stage.start(FixtureModule, FixtureConfig, { KAFKA_CONSUMER_GROUP: groupId });
    service.app.get(HandlerScript).instance = name;
    return service;
  }

  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql))[0].n);

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
