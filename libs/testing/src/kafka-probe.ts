import { randomBytes } from 'node:crypto';
import {
  CompressionTypes,
  Kafka,
  logLevel,
  type Admin,
  type Consumer,
  type IHeaders,
  type Producer,
} from 'kafkajs';
import { kafkaErrorTypes } from '@loyalty/messaging';
import { testInfrastructure } from './infrastructure';
import { waitUntil, type WaitOptions } from './wait-until';

export interface ProbeRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** The headers as kafkajs read them: bytes, and an array for a name the record repeats. */
  rawHeaders: IHeaders;
  json<T = Record<string, unknown>>(): T;
}

export interface RawMessage {
  key?: string | null;
  value: Buffer | string | null;
  headers?: IHeaders;
  partition?: number;
}

/** A unique topic prefix per suite, so suites never see each other's (or old runs') events. */
export function uniqueTopicPrefix(): string {
  return `t${randomBytes(4).toString('hex')}.`;
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) result[name] = String(Array.isArray(value) ? value[0] : value);
  }
  return result;
}

/**
 * Test-side access to the real broker: produce raw or JSON events, and record what arrives on topics
 * (from the beginning, in a throw-away consumer group that never commits) so tests can await effects.
 */
export class KafkaProbe {
  private readonly kafka: Kafka;
  private producer?: Producer;
  private readonly consumers: Consumer[] = [];
  private readonly records = new Map<string, ProbeRecord[]>();

  constructor(brokers: string = testInfrastructure().kafkaBrokers) {
    this.kafka = new Kafka({
      clientId: 'test-probe',
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
    });
  }

  admin(): Admin {
    return this.kafka.admin();
  }

  /** `compressed`: gzip the request, as an upstream producer may, so it can carry more than the broker's limit. */
  async produce(topic: string, messages: RawMessage[], { compressed = false } = {}): Promise<void> {
    if (!this.producer) {
      this.producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
      await this.producer.connect();
    }
    await this.producer.send({
      topic,
      acks: -1,
      compression: compressed ? CompressionTypes.GZIP : CompressionTypes.None,
      messages: messages.map((m) => ({
        key: m.key ?? null,
        value: m.value,
        headers: m.headers,
        partition: m.partition,
      })),
    });
  }

  async produceJson(topic: string, events: { key?: string; event: unknown }[]): Promise<void> {
    await this.produce(
      topic,
      events.map(({ key, event }) => ({ key: key ?? null, value: JSON.stringify(event) })),
    );
  }

  /** Starts recording `topics`; call before the effect you await, or rely on from-beginning reads. */
  async watch(...topics: string[]): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: `probe-${randomBytes(6).toString('hex')}`,
      allowAutoTopicCreation: false,
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    for (const topic of topics) if (!this.records.has(topic)) this.records.set(topic, []);
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        this.records.get(topic)?.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value,
          headers: headerStrings(message.headers),
          rawHeaders: message.headers ?? {},
          json: <T>() => JSON.parse(message.value?.toString() ?? 'null') as T,
        });
      },
    });
    this.consumers.push(consumer);
  }

  seen(topic: string): ProbeRecord[] {
    return this.records.get(topic) ?? [];
  }

  /** Waits until `count` records on `topic` match `predicate`, and returns them. */
  async awaitRecords(
    topic: string,
    count: number,
    predicate: (record: ProbeRecord) => boolean = () => true,
    options?: WaitOptions,
  ): Promise<ProbeRecord[]> {
    return waitUntil(
      `${count} record(s) on ${topic}`,
      () => {
        const matching = this.seen(topic).filter(predicate);
        return matching.length >= count ? matching : undefined;
      },
      options,
    );
  }

  /**
   * Waits until the probe has read every record on `topics` up to now (watch them first): a check that
   * something did not arrive is then final, not early.
   */
  async awaitSeenToEnd(topics: string[], options?: WaitOptions): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = await Promise.all(
        topics.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) })),
      );
      const lastSeen = (topic: string) => {
        const last = new Map<number, number>();
        for (const { partition, offset } of this.seen(topic))
          last.set(partition, Math.max(last.get(partition) ?? -1, Number(offset)));
        return last;
      };
      await waitUntil(
        `the probe to read ${topics.join(', ')} to the end`,
        () =>
          ends.every(({ topic, partitions }) => {
            const last = lastSeen(topic);
            return partitions.every(({ partition, high }) => (last.get(partition) ?? -1) >= Number(high) - 1);
          }),
        options,
      );
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Waits until `groupId` has committed every message on `topics`: all of it is processed. A topic a
   * service reads in a lane of its own is committed by the lane's group, `<groupId>.<types>`
   * (`laneGroupId` of the messaging library), so that group counts for it too.
   */
  async awaitGroupCaughtUp(groupId: string, topics: string[], options?: WaitOptions): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await waitUntil(
        `group ${groupId} to commit the end of ${topics.join(', ')}`,
        async () => {
          const lanes = (await admin.listGroups()).groups
            .map((g) => g.groupId)
            .filter((id) => id.startsWith(`${groupId}.`));
          for (const topic of topics) {
            const ends = await admin.fetchTopicOffsets(topic);
            let committedByOne = false;
            for (const group of [groupId, ...lanes]) {
              const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
              committedByOne = ends.every((end) => {
                const done = committed.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
                return Number(end.high) - Math.max(0, Number(done)) <= 0;
              });
              if (committedByOne) break;
            }
            if (!committedByOne) return false;
          }
          return true;
        },
        { intervalMs: 250, ...options },
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** The offset `groupId` resumes from on each partition of `topic` (-1 where it committed none). */
  async committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.disconnect()));
    await this.producer?.disconnect();
  }
}

/** Deletes every topic of a suite's prefix, so the shared broker does not accumulate them. */
export async function deleteTopicsWithPrefix(
  prefix: string,
  brokers: string = testInfrastructure().kafkaBrokers,
): Promise<void> {
  const probe = new KafkaProbe(brokers);
  const admin = probe.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
      if (topics.length === 0) return;
      try {
        await admin.deleteTopics({ topics, timeout: 30_000 });
        return;
      } catch (error) {
        // A topic deleted and created again moments ago (a test of a missing topic) can be listed before
        // the broker hosts it; the rest of the request went through, so what is left is listed again.
        if (attempt === 5 || !kafkaErrorTypes(error).includes('UNKNOWN_TOPIC_OR_PARTITION')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    await admin.disconnect();
  }
}
