import type { DataSource } from 'typeorm';
import type { IncomingMessage } from '../kafka/broker-client';

/**
 * Whether `group` has written this record (its topic, partition, offset and broker timestamp) to a
 * dead-letter topic before. An offset commit lost after the letter was written (a crash, a rebalance)
 * delivers the record again. By position, not event id: a malformed record has none, and `dlq replay`
 * writes the record anew at another offset, which is then handled, or dead-lettered, afresh. The
 * timestamp tells a record from another that took its position in a recreated topic.
 */
export async function wasDeadLettered(
  dataSource: DataSource,
  group: string,
  message: IncomingMessage,
): Promise<boolean> {
  const rows: unknown[] = await dataSource.query(
    `select 1 from messaging_dead_lettered
     where consumer_group = $1 and topic = $2 and partition = $3 and "offset" = $4 and record_timestamp = $5`,
    [group, message.topic, message.partition, message.offset, message.timestamp],
  );
  return rows.length > 0;
}

export async function markDeadLettered(
  dataSource: DataSource,
  group: string,
  message: IncomingMessage,
  reason: string,
): Promise<void> {
  await dataSource.query(
    `insert into messaging_dead_lettered (consumer_group, topic, partition, "offset", record_timestamp, reason)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (consumer_group, topic, partition, "offset")
     do update set record_timestamp = excluded.record_timestamp, reason = excluded.reason,
                   dead_lettered_at = excluded.dead_lettered_at`,
    [group, message.topic, message.partition, message.offset, message.timestamp, reason],
  );
}
