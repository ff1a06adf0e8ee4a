import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { topicDeclarations } from '@loyalty/contracts';
import { BaseServiceConfig } from '@loyalty/config';
import { EventMetrics, HealthRegistry, LOGGER } from '@loyalty/observability';
import type { Logger } from 'pino';
import type { AdminPort, BrokerClient, FetchSettings } from './kafka/broker-client';
import { KafkaJsBrokerClient } from './kafka/kafkajs-client';
import { kafkaSettingsFrom } from './kafka/kafka-settings';
import { EventPublisher } from './outbox/event-publisher';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxWriter } from './outbox/outbox-writer';
import { CrashPoints } from './consumer/crash-points';
import { EventTransport, type EventTransportSettings } from './consumer/event-transport';

export const BROKER_CLIENT = Symbol('BROKER_CLIENT');

/** A month past the longest time a topic keeps its events (see `RelaySettings.retainInboxMs`). */
export const INBOX_RETENTION_MS =
  Math.max(...topicDeclarations().map((declaration) => declaration.retentionMs)) + 30 * 86_400_000;

export interface MessagingOptions {
  /** Tuning for high-throughput services; the defaults suit the rest. */
  transport?: Partial<Omit<EventTransportSettings, 'groupId' | 'topicPrefix' | 'source'>>;
  relayBatchSize?: number;
}

/**
 * For the stay-to-points path: a fetch waits at most 100 ms to gather 64 KiB. Returning on the first
 * message made batches of a few events at a steady rate, each paying a transaction's fixed statements;
 * on two shared cores that cost more latency in queueing than the wait adds (bench:e2e at 300 stays/s:
 * p99 2.3–3.5 s returning at once, 1.9–2.8 s with the wait, and 280–326 against 357–369 stays/s).
 */
export const HOT_PATH_FETCH: FetchSettings = { minBytes: 64 * 1024, maxWaitMs: 100 };

/**
 * For consumers off the stay-to-points path (surveys, complaints, churn watch, the guest facts profiles
 * keeps): a fetch waits up to 500 ms to gather 256 KiB, so they take larger batches at less CPU per event
 * and stay out of the way of the hot path on shared cores.
 */
export const BATCHING_FETCH: FetchSettings = { minBytes: 256 * 1024, maxWaitMs: 500 };

const DEFAULT_TRANSPORT: Omit<
  EventTransportSettings,
  | 'groupId'
  | 'topicPrefix'
  | 'source'
  | 'sessionTimeoutMs'
  | 'heartbeatIntervalMs'
  | 'commitIntervalMs'
  | 'deadLetterSendTimeoutMs'
  | 'deadLetterStuckMs'
> = {
  retry: { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 30_000 },
  rebalanceTimeoutMs: 60_000,
  partitionsConsumedConcurrently: 6,
  maxBatchSize: 500,
  lanes: [],
  fetch: HOT_PATH_FETCH,
};

/** Creates the platform's topics (and their dead-letter topics) that are missing, and checks the broker. */
@Injectable()
class TopicProvisioner implements OnModuleInit, OnModuleDestroy {
  private admin?: AdminPort;

  constructor(
    @Inject(BROKER_CLIENT) private readonly broker: BrokerClient,
    @Inject(BaseServiceConfig) private readonly config: BaseServiceConfig,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    this.admin = this.broker.admin();
    await this.admin.connect();
    const created = await this.admin.ensureTopics(
      topicDeclarations(this.config.KAFKA_TOPIC_PREFIX).map((t) => ({
        topic: t.topic,
        partitions: t.partitions,
        config: t.config,
      })),
    );
    if (created.length > 0) this.logger.info({ topics: created }, `created ${created.length} topics`);
    const admin = this.admin;
    this.health.register('kafka', async () => {
      await admin.clusterId();
    });
    // A restart is what brings such a consumer back: liveness fails, so the orchestrator restarts us.
    this.broker.onConsumerStopped((groupId) =>
      this.health.failLiveness(`consumer group ${groupId} stopped after a crash kafkajs does not restart`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.admin?.disconnect();
  }
}

@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions = {}): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        {
          provide: BROKER_CLIENT,
          inject: [BaseServiceConfig, LOGGER],
          useFactory: (config: BaseServiceConfig, logger: Logger) =>
            new KafkaJsBrokerClient(kafkaSettingsFrom(config), logger.child({ component: 'kafka' })),
        },
        {
          provide: OutboxWriter,
          inject: [BaseServiceConfig],
          useFactory: (config: BaseServiceConfig) => new OutboxWriter(config.KAFKA_TOPIC_PREFIX),
        },
        {
          provide: EventPublisher,
          inject: [OutboxWriter, BaseServiceConfig],
          useFactory: (outbox: OutboxWriter, config: BaseServiceConfig) =>
            new EventPublisher(outbox, eventSource(config)),
        },
        {
          provide: OutboxRelay,
          inject: [BROKER_CLIENT, BaseServiceConfig, EventMetrics, LOGGER],
          useFactory: (
            broker: BrokerClient,
            config: BaseServiceConfig,
            metrics: EventMetrics,
            logger: Logger,
          ) => {
            const log = logger.child({ component: 'outbox-relay' });
            return new OutboxRelay(
              broker.producer(),
              {
                databaseUrl: config.DATABASE_URL,
                batchSize: options.relayBatchSize ?? 500,
                maxSendBytes: 512 * 1024,
                pollIntervalMs: 1_000,
                retainPublishedMs: 60 * 60 * 1_000,
                retainInboxMs: INBOX_RETENTION_MS,
                shutdownFlushTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
                sendTimeoutMs: config.OUTBOX_SEND_TIMEOUT_MS,
              },
              {
                published: (topic, type, n) => metrics.published(topic, type, n),
                backlog: (pending) => metrics.setOutboxBacklog(pending),
                warn: (fields, message) => log.warn(fields, message),
                info: (fields, message) => log.info(fields, message),
              },
            );
          },
        },
        {
          provide: EventTransport,
          inject: [
            BROKER_CLIENT,
            DataSource,
            OutboxWriter,
            OutboxRelay,
            EventMetrics,
            HealthRegistry,
            BaseServiceConfig,
          ],
          useFactory: (
            broker: BrokerClient,
            dataSource: DataSource,
            outbox: OutboxWriter,
            relay: OutboxRelay,
            metrics: EventMetrics,
            health: HealthRegistry,
            config: BaseServiceConfig,
          ) =>
            new EventTransport(
              broker,
              dataSource,
              outbox,
              relay,
              metrics,
              health,
              withFetchMinBytes(
                {
                  ...DEFAULT_TRANSPORT,
                  sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
                  heartbeatIntervalMs: Math.max(500, Math.floor(config.KAFKA_SESSION_TIMEOUT_MS / 10)),
                  commitIntervalMs: config.KAFKA_COMMIT_INTERVAL_MS,
                  deadLetterSendTimeoutMs: config.DEAD_LETTER_SEND_TIMEOUT_MS,
                  deadLetterStuckMs: config.DEAD_LETTER_STUCK_MS,
                  ...options.transport,
                  // The topic prefix namespaces an environment; its consumer groups belong to it too.
                  groupId:
                    config.KAFKA_CONSUMER_GROUP ?? `${config.KAFKA_TOPIC_PREFIX}${config.SERVICE_NAME}`,
                  topicPrefix: config.KAFKA_TOPIC_PREFIX,
                  source: eventSource(config),
                },
                config.KAFKA_FETCH_MIN_BYTES,
              ),
              CrashPoints.parse(config.MESSAGING_CRASH_POINT),
            ),
        },
        TopicProvisioner,
      ],
      exports: [BROKER_CLIENT, OutboxWriter, EventPublisher, OutboxRelay, EventTransport],
    };
  }
}

/** The settings with every consumer's fetch (its lanes' too) returning at `minBytes`, when that is set. */
export function withFetchMinBytes(
  settings: EventTransportSettings,
  minBytes: number | undefined,
): EventTransportSettings {
  if (minBytes === undefined) return settings;
  const atMinBytes = (fetch: FetchSettings): FetchSettings => ({ ...fetch, minBytes });
  return {
    ...settings,
    fetch: atMinBytes(settings.fetch),
    lanes: settings.lanes.map((lane) => (lane.fetch ? { ...lane, fetch: atMinBytes(lane.fetch) } : lane)),
  };
}

function eventSource(config: BaseServiceConfig): string {
  return `loyalty/${config.SERVICE_NAME}`;
}
