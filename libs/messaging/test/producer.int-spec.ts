import { Kafka, logLevel, type Admin } from 'kafkajs';
import { isBrokerAnswer, KafkaJsBrokerClient, kafkaErrorTypes, type ProducerPort } from '@loyalty/messaging';
import { createNewTopics, testInfrastructure, uniqueTopicPrefix } from '@loyalty/testing';

describe('the platform producer against the real broker', () => {
  let admin: Admin;
  let client: KafkaJsBrokerClient;
  let producer: ProducerPort;
  const warnings: string[] = [];

  beforeAll(async () => {
    const brokers = testInfrastructure().kafkaBrokers.split(',');
    admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    client = new KafkaJsBrokerClient(
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

  // A send to a topic that does not exist is retried by kafkajs without end, through a disconnect; the
  // connections it opens again are closed once it ends, but not those of the port connected again since.
  it('should keep a producer connected again after a disconnect that left a send retrying', async () => {
    const prefix = uniqueTopicPrefix();
    const [missing, other] = [`${prefix}missing`, `${prefix}other`];
    await createNewTopics(admin, [{ topic: other, numPartitions: 1 }]);
    const relay = client.producer();
    await relay.connect();
    const stuck = relay.send([{ topic: missing, key: 'k', value: 'stuck', headers: {} }]);
    stuck.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    await relay.disconnect();
    await relay.connect();
    await createNewTopics(admin, [{ topic: missing, numPartitions: 1 }]);
    await stuck;
    // The deferred disconnect, had it closed the new connection, would refuse this send for good.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await relay.send([{ topic: other, key: 'k', value: 'after reconnecting', headers: {} }]);

    expect(await recordsOn(other)).toBe(1);
    await relay.disconnect();
  }, 60_000);

  // Sends made in the same turn of the event loop share a produce request unless made alone, and the
  // broker's refusal of one record then fails every send in it.
  it('should keep a send made alone apart from the refusal of another made at the same moment', async () => {
    const topic = `${uniqueTopicPrefix()}small-records`;
    await createNewTopics(admin, [
      { topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '2048' }] },
    ]);
    const tooLarge = { topic, key: 'k', value: 'x'.repeat(4_096), headers: {} };
    const small = (value: string) => ({ topic, key: 'k', value, headers: {} });
    const outcomes = (sends: Promise<void>[]) =>
      Promise.all(
        sends.map((send) =>
          send.then(
            () => 'written',
            (error: unknown) => kafkaErrorTypes(error),
          ),
        ),
      );

    const gathering = client.producer();
    const alone = client.producer({ eachSendAlone: true });
    await Promise.all([gathering.connect(), alone.connect()]);
    try {
      expect(await outcomes([gathering.send([tooLarge]), gathering.send([small('gathered')])])).toEqual([
        ['MESSAGE_TOO_LARGE'],
        ['MESSAGE_TOO_LARGE'],
      ]);
      expect(await outcomes([alone.send([tooLarge]), alone.send([small('alone')])])).toEqual([
        ['MESSAGE_TOO_LARGE'],
        'written',
      ]);
      expect(await recordsOn(topic)).toBe(1);
    } finally {
      await Promise.all([gathering.disconnect(), alone.disconnect()]);
    }
  });
});
