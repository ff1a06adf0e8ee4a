import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { BROKER_CLIENT, type BrokerClient } from '@loyalty/messaging';
import { REDIS } from '@loyalty/persistence';
import {
  KafkaProbe,
  type InProcessService,
  type TestDatabase,
  FixtureConfig,
  FixtureModule,
  TestStage,
  crashingForGood,
  waitUntil,
} from '@loyalty/testing';

describe('a service on the platform, against the real Kafka, Postgres and Redis', () => {
  let stage: TestStage;
  let db: TestDatabase;
  let prefix: string;
  let service: InProcessService;

  beforeAll(async () => {
    stage = await TestStage.create('platform');
    ({ db, prefix } = stage);
    service = await stage.start(FixtureModule, FixtureConfig);
  });

  afterAll(() => stage?.close());

  it('should report ready only after checking Kafka, Postgres and Redis for real', async () => {
    const response = await fetch(`${service.url}/health/ready`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { checks: Record<string, { status: string }> };
    expect(Object.keys(body.checks).sort()).toEqual(['kafka', 'postgres', 'redis']);
    expect(Object.values(body.checks).every((check) => check.status === 'up')).toBe(true);
  });

  it('should reach Redis through the injected client and Postgres through its migrated database', async () => {
    const redis = service.app.get<Redis>(REDIS);
    const key = `platform-test:${randomUUID()}`;
    await redis.set(key, 'stay', 'EX', 60);
    expect(await redis.get(key)).toBe('stay');
    const tables = await db.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['applied', 'messaging_inbox', 'messaging_outbox', 'migrations']),
    );
  });

  it('should create every topic and its dead-letter topic at start-up', async () => {
    const admin = new KafkaProbe().admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    await admin.disconnect();
    expect(topics).toEqual(
      expect.arrayContaining([`${prefix}stay-completed`, `${prefix}stay-completed.dlq`]),
    );
  });

  it('should expose Prometheus metrics, HTTP and event series included', async () => {
    await fetch(`${service.url}/health/live`);
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(text).toMatch(/^http_requests_total\{/m);
    expect(text).toContain('# TYPE events_consumed_total counter');
  });

  // Last: the service stays unlive from here on, as it would until restarted.
  it('should fail liveness, naming the group, once one of its consumers stopped for good', async () => {
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    const groupId = `${prefix}crashing-${randomUUID().slice(0, 8)}`;
    const { consumer } = await crashingForGood(
      service.app.get<BrokerClient>(BROKER_CLIENT),
      `${prefix}stay-completed`,
      groupId,
    );
    try {
      const unlive = await waitUntil('liveness to fail', async () => {
        const response = await fetch(`${service.url}/health/live`);
        return response.status === 503 ? response.json() : undefined;
      });
      expect(unlive).toEqual({
        status: 'error',
        failures: [`consumer group ${groupId} stopped after a crash kafkajs does not restart`],
      });
      expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
    } finally {
      await consumer.disconnect();
    }
  });
});
