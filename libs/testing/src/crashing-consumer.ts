import { KafkaJSError } from 'kafkajs';
import type { BrokerClient, ConsumerPort, ConsumerSettings } from '@loyalty/messaging';

/**
 * A consumer of `broker` in group `groupId` that crashes for good on its first batch of `topic` (a
 * non-retriable error, which kafkajs does not restart it after); a record is put on `topic` first so the
 * batch comes. `batches` counts the batches it was given; disconnect `consumer` when done.
 */
export async function crashingForGood(
  broker: BrokerClient,
  topic: string,
  groupId: string,
): Promise<{ consumer: ConsumerPort; batches: () => number }> {
  const producer = broker.producer();
  await producer.connect();
  await producer.send([{ topic, key: 'k', value: 'v', headers: {} }]);
  await producer.disconnect();
  const consumer = broker.consumer(promptConsumerSettings(groupId));
  let batches = 0;
  await consumer.connect();
  await consumer.subscribe([topic]);
  await consumer.run(async () => {
    batches++;
    throw new KafkaJSError('scripted crash', { retriable: false });
  });
  return { consumer, batches: () => batches };
}

/** A test consumer's settings: one partition at a time, fetches answered at once, commits soon. */
export function promptConsumerSettings(groupId: string): ConsumerSettings {
  return {
    groupId,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
    rebalanceTimeoutMs: 10_000,
    partitionsConsumedConcurrently: 1,
    fetch: { minBytes: 1, maxWaitMs: 100 },
    commitIntervalMs: 100,
  };
}
