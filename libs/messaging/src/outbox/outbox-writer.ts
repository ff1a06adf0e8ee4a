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
    // One JSON document for the whole batch: the driver would otherwise escape every payload element by
    // element to build a jsonb[] literal, which costs more than the insert itself on large batches. It is
    // sent as json, not jsonb: Postgres then checks the text instead of building a jsonb value of the
    // whole batch, and only each payload becomes jsonb.
    await manager.query(
      `insert into messaging_outbox (event_id, event_type, topic, partition_key, payload, headers)
       select event_id, event_type, topic, partition_key, payload, headers
       from json_to_recordset($1::json) as r(event_id uuid, event_type text, topic text,
         partition_key text, payload jsonb, headers jsonb)`,
      [
        JSON.stringify(
          events.map((e) => ({
            event_id: e.id,
            event_type: e.type,
            topic: topicName(e.type, this.topicPrefix),
            partition_key: partitionKey(e),
            payload: e,
            headers: eventHeaders(e),
          })),
        ),
      ],
    );
  }
}
