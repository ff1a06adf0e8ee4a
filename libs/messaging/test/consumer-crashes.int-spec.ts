import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KafkaJsBrokerClient, type ConsumerPort } from '@loyalty/messaging';
import {
  crashingForGood,
  createNewTopics,
  testInfrastructure,
  uniqueTopicPrefix,
  waitUntil,
} from '@loyalty/testing';

describe('the platform consumer stopped by a crash, against the real broker', () => {
  const brokers = testInfrastructure().kafkaBrokers.split(',');
  let admin: Admin;
  let consumer: ConsumerPort | undefined;

  beforeAll(async () => {
    admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await admin?.disconnect();
  });

  it('should log a crash kafkajs does not restart the consumer after as an error, and tell who listens', async () => {
    const topic = `${uniqueTopicPrefix()}crashing`;
    await createNewTopics(admin, [{ topic, numPartitions: 1 }]);
    const lines: { level: 'warn' | 'error'; message: string }[] = [];
    const client = new KafkaJsBrokerClient(
      { clientId: 'crash-test', brokers, ssl: false },
      {
        warn: (_fields, message) => lines.push({ level: 'warn', message }),
        error: (_fields, message) => lines.push({ level: 'error', message }),
      },
    );
    const stoppedGroups: string[] = [];
    client.onConsumerStopped((groupId) => stoppedGroups.push(groupId));

    const crashing = await crashingForGood(client, topic, `${topic}.group`);
    consumer = crashing.consumer;

    await waitUntil('the error', () => lines.some((line) => line.level === 'error') || undefined);
    // kafkajs's own report of the crash is a warning: it writes one for a crash it restarts after as well.
    expect(lines).toContainEqual({
      level: 'warn',
      message: 'Crash: KafkaJSNonRetriableError: scripted crash',
    });
    expect(lines.filter((line) => line.level === 'error')).toEqual([
      { level: 'error', message: 'consumer stopped: kafkajs does not restart it after this crash' },
    ]);
    expect(crashing.batches()).toBe(1);
    expect(stoppedGroups).toEqual([`${topic}.group`]);
  });
});
