import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { eventHeaders, partitionKey, topicName } from '@loyalty/contracts';
import { BaseServiceConfig } from '@loyalty/config';
import { BROKER_CLIENT, type BrokerClient, type ProducerPort } from '@loyalty/messaging';
import { EventMetrics } from '@loyalty/observability';
import type { UpstreamSystem } from './api-keys';
import { checkItems, type ItemResult } from './check-items';

/**
 * Puts upstream events on Kafka (acks=all) before answering, once per event id: the ids are recorded
 * in the same transaction that is committed only after the broker acknowledged, so a failed publish
 * leaves no record and the sender's retry goes through.
 */
@Injectable()
export class IngestService implements OnModuleInit, OnApplicationShutdown {
  private readonly producer: ProducerPort;

  constructor(
    @Inject(BROKER_CLIENT) broker: BrokerClient,
    private readonly dataSource: DataSource,
    private readonly config: BaseServiceConfig,
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
    await this.dataSource.transaction(async (manager) => {
      const fresh: { event_id: string }[] = await manager.query(
        `insert into ingested_events (event_id, event_type, system)
         select * from unnest($1::uuid[], $2::text[], $3::text[])
         on conflict do nothing returning event_id`,
        [valid.map((v) => v.event.envelope.id), valid.map((v) => v.event.type), valid.map(() => system.name)],
      );
      const freshIds = new Set(fresh.map((row) => row.event_id));
      const toPublish = valid.filter((v) => freshIds.has(v.event.envelope.id));
      for (const { index } of valid.filter((v) => !freshIds.has(v.event.envelope.id)))
        results[index].status = 'duplicate';
      await this.producer.send(
        toPublish.map(({ event }) => ({
          topic: topicName(event.type, this.config.KAFKA_TOPIC_PREFIX),
          key: partitionKey(event.envelope),
          value: JSON.stringify(event.envelope),
          headers: eventHeaders(event.envelope),
        })),
      );
      for (const { event } of toPublish) this.metrics.published(event.type, event.type);
    });
    return results;
  }
}
