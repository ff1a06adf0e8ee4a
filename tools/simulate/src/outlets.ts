import type { Kafka } from 'kafkajs';
import { askAgainWhileTransient } from '@loyalty/messaging/broker-answers';
import type { Delivery } from '@loyalty/simulator';
import { postBatch } from './ingress-client';

export interface Outlet {
  /** Sends a batch; answers the codes of the deliveries refused on receipt (only the HTTP ingress does). */
  send(deliveries: Delivery[]): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Sends to the upstream topic. Just after the services created their topics a partition can still be
 * without a leader, an answer the producer can pass on as it is (a fresh broker did, ending the main
 * command): asked again, as the pipeline's lag is.
 */
export async function kafkaOutlet(kafka: Kafka, topic: string): Promise<Outlet> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  return {
    send: async (deliveries) => {
      const messages = deliveries.map((d) => ({ key: d.key, value: d.value }));
      await askAgainWhileTransient(() => producer.send({ topic, acks: -1, messages }));
      return [];
    },
    close: () => producer.disconnect(),
  };
}

export function ingressOutlet(ingress: string, apiKey: string): Outlet {
  return {
    send: (deliveries) =>
      postBatch(
        ingress,
        apiKey,
        deliveries.map((d) => (d.malformed === 'not-json' ? d.value : JSON.parse(d.value))),
      ),
    close: async () => undefined,
  };
}
