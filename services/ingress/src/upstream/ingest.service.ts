import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { eventHeaders, partitionKey, topicName } from '@loyalty/contracts';
import {
  BROKER_CLIENT,
  type BrokerClient,
  type OutgoingMessage,
  type ProducerPort,
} from '@loyalty/messaging';
import { EventMetrics } from '@loyalty/observability';
import { isContention } from '@loyalty/persistence';
import { withinMs } from '@loyalty/time';
import { IngressConfig } from '../config/ingress.config';
import type { UpstreamSystem } from './api-keys';
import {
  checkItems,
  idReused,
  type CheckedItems,
  type FingerprintedItem,
  type ItemResult,
} from './check-items';
import { contended, publishNotConfirmed } from './retry-later';

// Long enough for a broker to elect new partition leaders; short enough that a backlog drains soon.
const UNCONFIRMED_RETRY_AFTER_SECONDS = 5;
// The other request holds its ids until Kafka acknowledges it, which usually takes milliseconds.
const CONTENDED_RETRY_AFTER_SECONDS = 1;

/**
 * Puts upstream events on Kafka (acks=all) before answering, once per event id: the ids are recorded
 * in the same transaction that is committed only after the broker acknowledged, so a failed or
 * unconfirmed publish (503) leaves no record and the sender's retry goes through.
 */
@Injectable()
export class IngestService implements OnModuleInit, OnApplicationShutdown {
  private readonly producer: ProducerPort;
  private readonly logger = new Logger(IngestService.name);

  constructor(
    @Inject(BROKER_CLIENT) broker: BrokerClient,
    private readonly dataSource: DataSource,
    private readonly config: IngressConfig,
    private readonly metrics: EventMetrics,
  ) {
    this.producer = broker.producer();
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }

  async ingest(items: unknown[], system: UpstreamSystem): Promise<ItemResult[]> {
    const checked = checkItems(items, system);
    if (checked.valid.length === 0) return checked.results;
    const published = await this.dataSource
      .transaction((manager) => this.recordAndPublish(manager, checked, system))
      .catch((error: unknown) => {
        throw isContention(error) ? contended(CONTENDED_RETRY_AFTER_SECONDS, error) : error;
      });
    // Counted once the ids are recorded: a failed commit answers 503 and the sender's retry counts them.
    for (const { topic, type } of published) this.metrics.published(topic, type);
    return checked.results;
  }

  /** Records the ids new to the platform, judges the others and publishes the new ones' events. */
  private async recordAndPublish(
    manager: EntityManager,
    { results, valid, repeats }: CheckedItems,
    system: UpstreamSystem,
  ): Promise<{ topic: string; type: string }[]> {
    // The rows stay locked until Kafka has acknowledged: inserted in one order by every request, two
    // batches sharing ids wait for each other instead of deadlocking.
    const inIdOrder = [...valid].sort((a, b) => (a.id < b.id ? -1 : 1));
    const fresh: { event_id: string }[] = await manager.query(
      `insert into ingested_events (event_id, event_type, system, fingerprint)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
       on conflict do nothing returning event_id`,
      [
        inIdOrder.map((v) => v.id),
        inIdOrder.map((v) => v.event.type),
        inIdOrder.map(() => system.name),
        inIdOrder.map((v) => v.fingerprint),
      ],
    );
    const freshIds = new Set(fresh.map((row) => row.event_id));
    await this.judgeResent(
      manager,
      [...valid, ...repeats].filter((item) => !freshIds.has(item.id)),
      results,
    );
    // Published in the batch's order: Kafka keeps a key's events in the order they are sent.
    const toPublish = valid.filter((v) => freshIds.has(v.id));
    const messages = toPublish.map(({ event }) => ({
      topic: topicName(event.type, this.config.KAFKA_TOPIC_PREFIX),
      key: partitionKey(event.envelope),
      value: JSON.stringify(event.envelope),
      headers: eventHeaders(event.envelope),
    }));
    await this.publish(messages);
    return toPublish.map(({ event }, i) => ({ topic: messages[i].topic, type: event.type }));
  }

  /**
   * An id received before is a re-send when its content is the same (or was received before content was
   * fingerprinted), and another event under a reused id otherwise: answered as such, never dropped as a
   * duplicate, so a corrected event sent under its old id is not lost without a word. Every copy of the
   * id in the batch is judged against the stored event, not against the batch's first copy.
   */
  private async judgeResent(
    manager: EntityManager,
    resent: FingerprintedItem[],
    results: ItemResult[],
  ): Promise<void> {
    if (resent.length === 0) return;
    const earlier: { event_id: string; fingerprint: string | null }[] = await manager.query(
      'select event_id, fingerprint from ingested_events where event_id = any($1::uuid[])',
      [resent.map((item) => item.id)],
    );
    const fingerprintOf = new Map(earlier.map((row) => [row.event_id, row.fingerprint]));
    for (const { index, id, fingerprint } of resent) {
      const stored = fingerprintOf.get(id);
      results[index] =
        stored == null || stored === fingerprint ? { index, id, status: 'duplicate' } : idReused(index, id);
    }
  }

  /** Sends and waits for the acknowledgement, at most INGRESS_PUBLISH_TIMEOUT_MS. */
  private async publish(messages: OutgoingMessage[]): Promise<void> {
    const ms = this.config.INGRESS_PUBLISH_TIMEOUT_MS;
    try {
      await withinMs(this.producer.send(messages), ms, `no acknowledgement within ${ms} ms`);
    } catch (error) {
      this.logger.warn({
        msg: 'events not confirmed by Kafka; answering 503',
        err: error,
        events: messages.length,
      });
      throw publishNotConfirmed(UNCONFIRMED_RETRY_AFTER_SECONDS, error);
    }
  }
}
