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
    // Each event and its headers go as one element of a JSON array: Postgres cuts an array into its
    // elements' text cheaply, where json_to_recordset spends about 35 µs a row copying a 1.5 KB event
    // out of its record, and the driver would escape a json[] parameter element by element. The
    // payload is stored as that text (json): the relay sends it on unchanged.
    await manager.query(
      `insert into messaging_outbox (event_id, event_type, topic, partition_key, payload, headers)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[],
         array(select value from json_array_elements($5::json) with ordinality order by ordinality),
         array(select value::jsonb from json_array_elements($6::json) with ordinality order by ordinality))`,
      [
        events.map((e) => e.id),
        events.map((e) => e.type),
        events.map((e) => topicName(e.type, this.topicPrefix)),
        events.map(partitionKey),
        JSON.stringify(events),
        JSON.stringify(events.map(eventHeaders)),
      ],
    );
  }
}
