/**
 * The platform's own small view of a Kafka client. Services and the rest of this library talk to
 * these interfaces only; `kafkajs-client.ts` is the one place that knows kafkajs, so a
 * librdkafka-based client could replace it without touching any service.
 */
export interface OutgoingMessage {
  topic: string;
  key: Buffer | string | null;
  value: Buffer | string | null;
  /** An array writes the name once per value, as a header repeated in the record. */
  headers: Record<string, Buffer | string | (Buffer | string)[]>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Each header's last value as text, for handlers. */
  headers: Record<string, string>;
  /** The headers exactly as they came, repeated ones as arrays, for passing on unchanged (a dead letter). */
  rawHeaders: RawHeaders;
  /** Broker timestamp, epoch milliseconds as a string. */
  timestamp: string;
}

/** A record's headers as the client read them: a name the record repeats has an array of its values. */
export type RawHeaders = Record<string, Buffer | string | null | undefined | (Buffer | string | null)[]>;

export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: IncomingMessage[];
  /** The partition's high watermark when the batch was fetched: the offset its next record would take. */
  highWatermark: string;
  /**
   * The last offset the fetch covered: its last message's, or that of a transaction marker (or an aborted
   * record) after it, which is no message. Once the last message is handled, the batch is done up to here.
   */
  lastOffset: string;
}

export interface BatchControl {
  /** Tells the group coordinator this member is alive; safe to call often. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or the partition has been reassigned. */
  shouldContinue(): boolean;
  /**
   * Marks `offset` as processed: the group resumes after it. The commit to the broker may come up to
   * the consumer's commit interval later, and comes at once when the partition is being taken away.
   */
  commit(offset: string): Promise<void>;
}

export interface ProducerPort {
  connect(): Promise<void>;
  /**
   * Resolves once every message is acknowledged by all in-sync replicas. When `signal` aborts first, it
   * rejects at once: with `SendNotStarted` if the send was still waiting for its turn (it is taken back
   * and never sent), else with `SendUnconfirmed` (it goes on, and may land). Without a signal it waits
   * for the broker's answer however long that takes.
   */
  send(messages: OutgoingMessage[], options?: { signal?: AbortSignal }): Promise<void>;
  disconnect(): Promise<void>;
}

export interface ConsumerSettings {
  groupId: string;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  partitionsConsumedConcurrently: number;
  fetch: FetchSettings;
  /** Processed offsets are committed together at most this often (see `OffsetCommits`). */
  commitIntervalMs: number;
}

/** A fetch returns once `minBytes` of data are there, or after `maxWaitMs`, whichever comes first. */
export interface FetchSettings {
  minBytes: number;
  maxWaitMs: number;
}

export interface ConsumerPort {
  connect(): Promise<void>;
  subscribe(topics: string[]): Promise<void>;
  run(onBatch: (batch: PartitionBatch, control: BatchControl) => Promise<void>): Promise<void>;
  /** Called each time this member (re)joins its group, with the partitions of each topic now assigned to it. */
  onGroupJoin(listener: (assigned: Readonly<Record<string, readonly number[]>>) => void): void;
  /** Waits for the batches in flight, then leaves the group. */
  disconnect(): Promise<void>;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  config: Record<string, string>;
}

export interface AdminPort {
  connect(): Promise<void>;
  /** Creates the topics that do not exist yet; existing ones are left as they are. */
  ensureTopics(topics: TopicSpec[]): Promise<string[]>;
  clusterId(): Promise<string>;
  disconnect(): Promise<void>;
}

export interface ProducerOptions {
  /**
   * Gzip each request. Off for the platform's own events, whose CPU matters more than their bytes; on for
   * dead letters, which carry whatever a sender put on a topic, perhaps compressed: sent plain, with
   * their headers added, it could exceed what the broker takes and be refused for good.
   */
  compressed?: boolean;
  /**
   * Each send is a produce request of its own, never gathered with sends made meanwhile. Dead letters go
   * so: a refusal the broker gives one request (too large, not authorized) is then the one letter's,
   * and is not shared with other partitions' letters.
   */
  eachSendAlone?: boolean;
}

export interface BrokerClient {
  producer(options?: ProducerOptions): ProducerPort;
  consumer(settings: ConsumerSettings): ConsumerPort;
  admin(): AdminPort;
  /**
   * Called when one of the client's consumers stopped for good (a crash the client does not restart it
   * after): nothing reads for that group in this process until it restarts.
   */
  onConsumerStopped(listener: (groupId: string) => void): void;
}
