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
import { withinMs } from '@loyalty/time';
import { IngressConfig } from '../config/ingress.config';
import type { UpstreamSystem } from './api-keys';
import { checkItems, idReused, type CheckedItems, type ItemResult } from './check-items';
import { publishNotConfirmed } from './retry-later';

// Long enough for a broker to elect new partition leaders; short enough that a backlog drains soon.
const RETRY_AFTER_SECONDS = 5;

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
    const { results, valid } = checkItems(items, system);
    if (valid.length === 0) return results;
    const published = await this.dataSource.transaction(async (manager) => {
      const fresh: { event_id: string }[] = await manager.query(
        `insert into ingested_events (event_id, event_type, system, fingerprint)
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
         on conflict do nothing returning event_id`,
        [
          valid.map((v) => v.event.envelope.id),
          valid.map((v) => v.event.type),
          valid.map(() => system.name),
          valid.map((v) => v.fingerprint),
        ],
      );
      const freshIds = new Set(fresh.map((row) => row.event_id));
      const toPublish = valid.filter((v) => freshIds.has(v.event.envelope.id));
      await this.judgeResent(
        manager,
        valid.filter((v) => !freshIds.has(v.event.envelope.id)),
        results,
      );
      const messages = toPublish.map(({ event }) => ({
        topic: topicName(event.type, this.config.KAFKA_TOPIC_PREFIX),
        key: partitionKey(event.envelope),
        value: JSON.stringify(event.envelope),
        headers: eventHeaders(event.envelope),
      }));
      await this.publish(messages);
      return toPublish.map(({ event }, i) => ({ topic: messages[i].topic, type: event.type }));
    });
    // Counted once the ids are recorded: a failed commit answers 503 and the sender's retry counts them.
    for (const { topic, type } of published) this.metrics.published(topic, type);
    return results;
  }

  /**
   * An id received before is a re-send when its content is the same (or was received before content was
   * fingerprinted), and another event under a reused id otherwise: answered as such, never dropped as a
   * duplicate, so a corrected event sent under its old id is not lost without a word.
   */
  private async judgeResent(
    manager: EntityManager,
    resent: CheckedItems['valid'],
    results: ItemResult[],
  ): Promise<void> {
    if (resent.length === 0) return;
    const earlier: { event_id: string; fingerprint: string | null }[] = await manager.query(
      'select event_id, fingerprint from ingested_events where event_id = any($1::uuid[])',
      [resent.map((v) => v.event.envelope.id)],
    );
    const fingerprintOf = new Map(earlier.map((row) => [row.event_id, row.fingerprint]));
    for (const { index, event, fingerprint } of resent) {
      const first = fingerprintOf.get(event.envelope.id);
      results[index] =
        first == null || first === fingerprint
          ? { index, id: event.envelope.id, status: 'duplicate' }
          : idReused(index, event.envelope.id);
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
      throw publishNotConfirmed(RETRY_AFTER_SECONDS, error);
    }
  }
}
