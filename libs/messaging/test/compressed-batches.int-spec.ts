import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KafkaJsBrokerClient, type ConsumerPort } from '@loyalty/messaging';
import {
  createNewTopics,
  promptConsumerSettings,
  testInfrastructure,
  uniqueTopicPrefix,
  waitUntil,
} from '@loyalty/testing';

// An upstream system's producer may compress with any codec Kafka has, and a topic's `compression.type` makes
// the broker itself recompress what it stores: both reach the platform's consumers as such batches.
describe.each(['snappy', 'lz4', 'zstd'])('a topic the broker stores %s-compressed', (codec) => {
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

  it('should be read by the platform consumer, every record whole', async () => {
    const topic = `${uniqueTopicPrefix()}compressed-${codec}`;
    await createNewTopics(admin, [
      { topic, numPartitions: 1, configEntries: [{ name: 'compression.type', value: codec }] },
    ]);
    const errors: string[] = [];
    const client = new KafkaJsBrokerClient(
      { clientId: `compressed-${codec}`, brokers, ssl: false },
      { warn: () => undefined, error: (_fields, message) => errors.push(message) },
    );
    // Repetitive records, as events are, so the codec has something to compress; and more than one batch.
    const sent = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify({ type: 'stay-completed', id: i, note: `stay ${i} `.repeat(1 + (i % 40)) }),
    );
    const producer = client.producer();
    await producer.connect();
    for (let from = 0; from < sent.length; from += 100) {
      await producer.send(
        sent.slice(from, from + 100).map((value, i) => ({ topic, key: `k${from + i}`, value, headers: {} })),
      );
    }
    await producer.disconnect();

    const received: string[] = [];
    consumer = client.consumer(promptConsumerSettings(`${topic}.group`));
    await consumer.connect();
    await consumer.subscribe([topic]);
    await consumer.run(async (batch) => {
      for (const message of batch.messages) received.push(message.value?.toString() ?? '');
    });
    await waitUntil('every record', () => received.length >= sent.length || errors.length > 0 || undefined);
    expect(errors).toEqual([]);
    // The handler marks nothing done, so the consumer reads the partition again: the first pass is the one.
    expect(received.slice(0, sent.length)).toEqual(sent);
  });
});
