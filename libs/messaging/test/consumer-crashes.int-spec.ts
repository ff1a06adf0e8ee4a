import { Kafka, KafkaJSError, logLevel, type Admin } from 'kafkajs';
import { KafkaJsBrokerClient, type ConsumerPort } from '@loyalty/messaging';
import { testInfrastructure, uniqueTopicPrefix, waitUntil } from '@loyalty/testing';

describe('the platform consumer stopped by a crash, against the real broker', () => {
  const brokers = testInfrastructure().kafkaBrokers.split(',');
  let admin: Admin;
  let consumer: ConsumerPort | undefined;
  let lines: { level: 'warn' | 'error'; message: string }[];
  let stoppedGroups: string[];

  beforeAll(async () => {
    admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });

  beforeEach(() => {
    lines = [];
    stoppedGroups = [];
  });

  afterEach(async () => {
    await consumer?.disconnect();
    consumer = undefined;
  });

  afterAll(() => admin?.disconnect());

  /** A consumer of a new topic holding one record, whose batches `onBatch` handles. */
  async function consuming(onBatch: () => void): Promise<{ attempts: () => number; groupId: string }> {
    const topic = `${uniqueTopicPrefix()}crashing`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    const client = new KafkaJsBrokerClient(
      { clientId: 'crash-test', brokers, ssl: false },
      {
        warn: (_fields, message) => lines.push({ level: 'warn', message }),
        error: (_fields, message) => lines.push({ level: 'error', message }),
      },
    );
    client.onConsumerStopped((groupId) => stoppedGroups.push(groupId));
    const producer = client.producer();
    await producer.connect();
    await producer.send([{ topic, key: 'k', value: 'v', headers: {} }]);
    await producer.disconnect();
    consumer = client.consumer({
      groupId: `${topic}.group`,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1_000,
      rebalanceTimeoutMs: 10_000,
      partitionsConsumedConcurrently: 1,
      fetch: { minBytes: 1, maxWaitMs: 100 },
      commitIntervalMs: 100,
    });
    await consumer.connect();
    await consumer.subscribe([topic]);
    let attempts = 0;
    await consumer.run(async () => {
      attempts++;
      onBatch();
    });
    return { attempts: () => attempts, groupId: `${topic}.group` };
  }

  it('should log a crash kafkajs does not restart the consumer after as an error, and tell who listens', async () => {
    const run = await consuming(() => {
      throw new KafkaJSError('scripted crash', { retriable: false });
    });

    await waitUntil('the error', () => lines.some((line) => line.level === 'error') || undefined);
    // kafkajs's own report of the crash is a warning: it writes one for a crash it restarts after as well.
    expect(lines).toContainEqual({
      level: 'warn',
      message: 'Crash: KafkaJSNonRetriableError: scripted crash',
    });
    expect(lines.filter((line) => line.level === 'error')).toEqual([
      { level: 'error', message: 'consumer stopped: kafkajs does not restart it after this crash' },
    ]);
    expect(run.attempts()).toBe(1);
    expect(stoppedGroups).toEqual([run.groupId]);
  });
});
