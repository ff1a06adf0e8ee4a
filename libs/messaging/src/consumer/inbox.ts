import type { EntityManager } from 'typeorm';
import type { IncomingMessage } from '../kafka/broker-client';

export interface InboxEntry {
  eventId: string;
  eventType: string;
  message: IncomingMessage;
}

/**
 * Records the events as applied by `group` inside the handler's transaction and returns the ids that
 * were not there yet. An id already present was applied before: the caller skips it. Because the row
 * commits with the handler's effects, a crash anywhere leaves either both or neither.
 */
export async function claimInInbox(
  manager: EntityManager,
  group: string,
  entries: InboxEntry[],
): Promise<Set<string>> {
  const rows: { event_id: string }[] = await manager.query(
    `insert into messaging_inbox (consumer_group, event_id, event_type, topic, partition, "offset")
     select $1, * from unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::bigint[])
     on conflict do nothing
     returning event_id`,
    [
      group,
      entries.map((e) => e.eventId),
      entries.map((e) => e.eventType),
      entries.map((e) => e.message.topic),
      entries.map((e) => e.message.partition),
      entries.map((e) => e.message.offset),
    ],
  );
  return new Set(rows.map((row) => row.event_id));
}
