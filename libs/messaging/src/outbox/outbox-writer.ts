import type { EntityManager } from 'typeorm';
import {
  eventHeaders,
  partitionKey,
  topicName,
  type EventEnvelope,
  type EventType,
} from '@loyalty/contracts';

/**
 * Appends events to the outbox inside the caller's transaction, so the change and its events commit
 * or roll back together. The relay publishes them afterwards, keeping each event's id.
 */
export class OutboxWriter {
  constructor(private readonly topicPrefix: string) {}

  async append(manager: EntityManager, events: readonly EventEnvelope<EventType>[]): Promise<void> {
    if (events.length === 0) return;
    await manager.query(
      `insert into messaging_outbox (event_id, event_type, topic, partition_key, payload, headers)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[])`,
      [
        events.map((e) => e.id),
        events.map((e) => e.type),
        events.map((e) => topicName(e.type, this.topicPrefix)),
        events.map((e) => partitionKey(e)),
        events.map((e) => JSON.stringify(e)),
        events.map((e) => JSON.stringify(eventHeaders(e))),
      ],
    );
  }
}
