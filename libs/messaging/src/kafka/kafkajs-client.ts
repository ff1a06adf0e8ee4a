import {
  CompressionTypes,
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type IHeaders,
  type KafkaConfig,
  type SASLOptions,
  type TopicMessages,
} from 'kafkajs';
import type {
  AdminPort,
  BrokerClient,
  ConsumerPort,
  ConsumerSettings,
  IncomingMessage,
  OutgoingMessage,
  PartitionBatch,
  BatchControl,
  ProducerOptions,
  ProducerPort,
  TopicSpec,
} from './broker-client';
import type { KafkaSettings } from './kafka-settings';
import { GroupCommit } from '../group-commit';
import { awaitSend } from './await-send';
import { registerCompressionCodecs } from '../compression-codecs';
import { OffsetCommits, partitionKey } from './offset-commits';
import { kafkaJsLogLevel } from './kafkajs-log';
import { recordBytes } from './record-size';
import { RenewingProducer } from './renewing-producer';

export interface LogSink {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    result[name] = Buffer.isBuffer(last) ? last.toString('utf8') : String(last);
  }
  return result;
}

function byTopic(messages: OutgoingMessage[]): TopicMessages[] {
  const grouped = new Map<string, OutgoingMessage[]>();
  for (const message of messages) {
    const list = grouped.get(message.topic) ?? [];
    list.push(message);
    grouped.set(message.topic, list);
  }
  return [...grouped].map(([topic, list]) => ({
    topic,
    messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
  }));
}

// Sends gathered into one produce request stay under this, as the outbox relay's own sends do; a
// larger send goes alone.
const MAX_GATHERED_REQUEST_BYTES = 512 * 1024;
// What may wait behind a send the broker does not answer (an outage, which the producer retries through):
// past it a send is refused at once rather than held in memory without bound.
const MAX_WAITING_BYTES = 64 * 1024 * 1024;

function nextOffset(offset: string): string {
  return (BigInt(offset) + BigInt(1)).toString();
}

/** A new topic's partitions take a moment to show in every broker's metadata; subscribing earlier fails. */
async function waitForMetadata(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const { topics: described } = await admin.fetchTopicMetadata({ topics });
      if (described.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics have no leaders after 30 s: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Counts the work running now, and tells when none is. */
class InFlight {
  private running = 0;
  private waiting: (() => void)[] = [];

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work();
    } finally {
      if (--this.running === 0) for (const resolve of this.waiting.splice(0)) resolve();
    }
  }

  get busy(): boolean {
    return this.running > 0;
  }

  done(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }
}

export class KafkaJsBrokerClient implements BrokerClient {
  private readonly kafka: Kafka;
  private readonly stoppedListeners: ((groupId: string) => void)[] = [];

  constructor(
    settings: KafkaSettings,
    private readonly log: LogSink,
  ) {
    const config: KafkaConfig = {
      clientId: settings.clientId,
      brokers: settings.brokers,
      ssl: settings.ssl,
      sasl: settings.sasl as SASLOptions | undefined,
      connectionTimeout: 5_000,
      requestTimeout: 30_000,
      retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 10_000 },
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ level, log: entry }) => {
          const { message, ...fields } = entry;
          log[kafkaJsLogLevel(level, message)]({ kafkajs: fields }, message);
        },
    };
    registerCompressionCodecs();
    this.kafka = new Kafka(config);
  }

  producer({ compressed = false, eachSendAlone = false }: ProducerOptions = {}): ProducerPort {
    const create = () =>
      // Idempotent with one request in flight: no duplicates from producer retries, order kept per partition.
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
        // An idempotent producer must not give up on its own (kafkajs warns otherwise); callers bound the wait.
        retry: { initialRetryTime: 200, maxRetryTime: 10_000, retries: Number.MAX_SAFE_INTEGER },
      });
    const producer = new RenewingProducer(create, (fields, message) => this.log.warn(fields, message));
    const requestsInFlight = new InFlight();
    const sendOneRequest = (messages: OutgoingMessage[]) =>
      requestsInFlight.track(() =>
        producer.sendBatch({
          acks: -1,
          compression: compressed ? CompressionTypes.GZIP : CompressionTypes.None,
          topicMessages: byTopic(messages),
        }),
      );
    // kafkajs numbers an idempotent producer's records per partition as it builds each request, so two
    // sends at once can reach the broker out of sequence after a retry (tulios/kafkajs#598; seen here as
    // the ingress's first sends met a partition leader still being elected). Sends therefore go out one
    // request at a time; those that come meanwhile (concurrent HTTP requests) share the next request, so
    // waiting costs no extra round trip, unless the producer sends each alone (dead letters).
    const requests = new GroupCommit(
      sendOneRequest,
      // Every record measures more than nothing, so with no room a request takes one send.
      eachSendAlone ? 0 : MAX_GATHERED_REQUEST_BYTES,
      recordBytes,
      MAX_WAITING_BYTES,
    );
    // Each connect starts a generation: a disconnect deferred by an earlier one must not close it.
    let connections = 0;
    return {
      connect: () => {
        connections++;
        return producer.connect();
      },
      disconnect: async () => {
        await producer.disconnect();
        // kafkajs goes on retrying a request it had not finished (a dead letter to a missing topic), and
        // connects again to do so: once that request ends, those connections are closed too, unless the
        // port was connected again meanwhile (the outbox relay restarting).
        const disconnected = connections;
        if (requestsInFlight.busy)
          void requestsInFlight.done().then(async () => {
            if (connections === disconnected) await producer.disconnect().catch(() => undefined);
          });
      },
      send: async (messages: OutgoingMessage[], { signal }: { signal?: AbortSignal } = {}) => {
        if (messages.length > 0) await awaitSend(requests.enqueue(messages), signal);
      },
    };
  }

  onConsumerStopped(listener: (groupId: string) => void): void {
    this.stoppedListeners.push(listener);
  }

  consumer(settings: ConsumerSettings): ConsumerPort {
    const consumer = this.kafka.consumer({
      groupId: settings.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      rebalanceTimeout: settings.rebalanceTimeoutMs,
      allowAutoTopicCreation: false,
      minBytes: settings.fetch.minBytes,
      maxWaitTimeInMs: settings.fetch.maxWaitMs,
      retry: { initialRetryTime: 300, retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 10_000 },
    });
    const batchesInFlight = new InFlight();
    const commits = new OffsetCommits(
      (offsets) => consumer.commitOffsets(offsets),
      settings.commitIntervalMs,
      (error) => this.log.warn({ err: error, groupId: settings.groupId }, 'offset commit failed; retrying'),
    );
    // What is pending goes out before a rebalance hands partitions to another member (the classic group
    // protocol takes commits from the old generation until the group has rejoined), and is forgotten for
    // partitions this member no longer reads once it has.
    consumer.on(consumer.events.REBALANCING, () => {
      commits
        .flush()
        .catch((error: unknown) =>
          this.log.warn({ err: error, groupId: settings.groupId }, 'offset commit before a rebalance failed'),
        );
    });
    // kafkajs reports every crash as a warning here (`isConsumerCrashReport`); one it does not restart after
    // leaves the group's partitions unread by this member until the service restarts.
    // A fetch of nothing but transaction markers or aborted records never reaches eachBatch: kafkajs
    // resolves it, and it is committed here as autoCommit would (one of records below the offset asked
    // for, which kafkajs also leaves out, has no first offset and covers nothing).
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize > 0 || payload.firstOffset === null) return;
      const { topic, partition, lastOffset } = payload;
      void commits.add({ topic, partition, offset: nextOffset(lastOffset) });
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      this.log.error(
        { err: payload.error, groupId: settings.groupId },
        'consumer stopped: kafkajs does not restart it after this crash',
      );
      for (const listener of this.stoppedListeners) listener(settings.groupId);
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      commits.keepOnly(
        new Set(
          Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
            partitions.map((partition) => partitionKey(topic, partition)),
          ),
        ),
      );
    });
    return {
      connect: () => consumer.connect(),
      disconnect: async () => {
        // kafkajs drops commits once it is stopping, so everything is committed while the member is still
        // in the group: the batches in flight (told to stop by the transport) first, then what is pending.
        commits.commitEachAtOnce();
        await batchesInFlight.done();
        await commits
          .flush()
          .catch((error: unknown) =>
            this.log.warn({ err: error, groupId: settings.groupId }, 'offset commit before leaving failed'),
          );
        await consumer.disconnect();
        commits.stop();
      },
      subscribe: (topics) => consumer.subscribe({ topics, fromBeginning: true }),
      onGroupJoin: (listener) => {
        consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => listener(payload.memberAssignment));
      },
      run: (onBatch) =>
        consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
          eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) =>
            batchesInFlight.track(async () => {
              const partitionBatch: PartitionBatch = {
                topic: batch.topic,
                partition: batch.partition,
                messages: batch.messages.map((m): IncomingMessage => ({
                  topic: batch.topic,
                  partition: batch.partition,
                  offset: m.offset,
                  key: m.key ?? null,
                  value: m.value ?? null,
                  headers: headersToStrings(m.headers),
                  rawHeaders: m.headers ?? {},
                  timestamp: m.timestamp,
                })),
                highWatermark: batch.highWatermark,
                lastOffset: batch.lastOffset(),
              };
              const shouldContinue = () => isRunning() && !isStale();
              const lastMessage = batch.messages.at(-1)?.offset;
              const control: BatchControl = {
                heartbeat,
                shouldContinue,
                commit: async (offset) => {
                  resolveOffset(offset);
                  // Done with the batch's last message, the batch is done: past the transaction markers (and
                  // aborted records) kafkajs leaves out of the messages, as its own resolve goes past them.
                  const done = offset === lastMessage ? partitionBatch.lastOffset : offset;
                  await commits.add(
                    { topic: batch.topic, partition: batch.partition, offset: nextOffset(done) },
                    !shouldContinue(),
                  );
                },
              };
              await onBatch(partitionBatch, control);
            }),
        }),
    };
  }

  admin(): AdminPort {
    const admin = this.kafka.admin();
    return {
      connect: () => admin.connect(),
      disconnect: () => admin.disconnect(),
      clusterId: async () => (await admin.describeCluster()).clusterId,
      ensureTopics: async (topics: TopicSpec[]) => {
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((t) => !existing.has(t.topic));
        if (missing.length === 0) return [];
        const names = missing.map((t) => t.topic);
        let creationError: unknown;
        try {
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((t) => ({
              topic: t.topic,
              numPartitions: t.partitions,
              configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
            })),
          });
        } catch (error) {
          // Another service may have created some of them at the same moment, or a broker formatted moments
          // ago may not describe the topics it has just created (UNKNOWN_TOPIC_OR_PARTITION while waiting
          // for leaders): what matters is that they all come to exist with leaders.
          creationError = error;
        }
        await waitForMetadata(admin, names).catch((error: unknown) => {
          throw creationError ?? error;
        });
        return names;
      },
    };
  }
}
