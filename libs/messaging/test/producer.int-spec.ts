import { Kafka, logLevel, type Admin } from 'kafkajs';
import { isBrokerAnswer, KafkaJsBrokerClient, type ProducerPort } from '@loyalty/messaging';
import { testInfrastructure, uniqueTopicPrefix } from '@loyalty/testing';

describe('the platform producer against the real broker', () => {
  let admin: Admin;
  let producer: ProducerPort;
  const warnings: string[] = [];

  beforeAll(async () => {
    const brokers = testInfrastructure().kafkaBrokers.split(',');
    admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const client = new KafkaJsBrokerClient(
      { clientId: 'producer-test', brokers, ssl: false },
      {
        // A broker's answer that a just-created topic has no leader yet is retried by kafkajs, as it should be.
        warn: (_fields, message) => (isBrokerAnswer(message) ? undefined : warnings.push(message)),
        error: () => undefined,
      },
    );
    producer = client.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
  });

  const recordsOn = async (topic: string) =>
    (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);

  // Concurrent sends through one idempotent kafkajs producer, retried while a new topic's leaders are
  // elected, used to reach the broker out of sequence: every send failed from then on.
  it('should put many concurrent sends on just-created topics each once, and go on sending', async () => {
    const prefix = uniqueTopicPrefix();
    const topics = ['a', 'b', 'c'].map((name) => `${prefix}${name}`);
    await admin.createTopics({
      waitForLeaders: false,
      topics: topics.map((topic) => ({ topic, numPartitions: 6 })),
    });
    const sends = Array.from({ length: 300 }, (_, send) =>
      producer.send(
        Array.from({ length: 10 }, (_, i) => ({
          topic: topics[send % topics.length],
          key: `guest-${(send * 10 + i) % 97}`,
          value: `${send}.${i}`,
          headers: {},
        })),
      ),
    );
    await Promise.all(sends);
    await producer.send(topics.map((topic) => ({ topic, key: 'after', value: 'after', headers: {} })));
    for (const topic of topics) expect(await recordsOn(topic)).toBe(1_000 + 1);
    expect(warnings).toEqual([]);
  });
});
