// The raw baseline of the ledger benchmark: what a consumer with no business logic costs when it writes
// the rows the ledger writes for a stay, in the ledger's own tables (same schema, indexes and triggers).
//
// Per Kafka partition batch, in one Postgres transaction, then the offset commit (after the database
// commit, as every consumer here must):
//   - the inbox rows (business-agnostic reliability: every consumer claims its events there);
//   - per stay: a credited_stays row, an earn ledger entry, a lot, and a `points-earned` outbox row;
//   - per guest of the batch: the account row (created or its balance raised), its qualifying progress.
// Left out, because they are the business logic being measured: contract validation of the events,
// loading and locking the accounts, the earning rules, building and validating outgoing events, and the
// relay that publishes the outbox. Every stay earns a fixed 100 points.
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';

interface RawStay {
  id: string;
  data: { guestId: string; stayId: string; propertyId: string; reservationId: string; departure: string };
}

interface RawMessage {
  partition: number;
  offset: string;
  value: Buffer | null;
}

const POINTS = 100;

export async function insertRawBatch(
  pg: Client,
  group: string,
  topic: string,
  messages: readonly RawMessage[],
): Promise<void> {
  const stays = messages.map((message) => ({
    message,
    event: JSON.parse(String(message.value)) as RawStay,
  }));
  const now = new Date().toISOString();
  await pg.query('begin');
  try {
    const claimed = await pg.query<{ event_id: string }>(
      `insert into messaging_inbox (consumer_group, event_id, event_type, topic, partition, "offset")
       select $1, id, 'stay-recorded', $2, p, o from unnest($3::uuid[], $4::int[], $5::bigint[]) as t(id, p, o)
       on conflict do nothing returning event_id`,
      [
        group,
        topic,
        stays.map((stay) => stay.event.id),
        stays.map((stay) => stay.message.partition),
        stays.map((stay) => stay.message.offset),
      ],
    );
    // A message can come twice in one fetch; like the platform's transport, apply each event id once.
    const fresh = new Set(claimed.rows.map((row) => row.event_id));
    const rows = [...new Map(stays.map((stay) => [stay.event.id, stay])).values()]
      .filter((stay) => fresh.has(stay.event.id))
      .map(({ message, event }) => {
        const entryKey = `${event.data.guestId}:${message.partition}-${message.offset}`;
        return {
          event_id: event.id,
          guest_id: event.data.guestId,
          stay_key: `${event.data.propertyId}/${event.data.reservationId}`,
          stay_id: event.data.stayId,
          property_id: event.data.propertyId,
          entry_key: entryKey,
          // Unique per account without reading the account: partition and offset identify the message.
          sequence: Number(message.offset) * 64 + message.partition,
          year: Number(event.data.departure.slice(0, 4)),
          payload: {
            specversion: '1.0',
            id: randomUUID(),
            type: 'points-earned',
            source: 'loyalty/points-ledger',
            subject: event.data.guestId,
            data: {
              guestId: event.data.guestId,
              points: POINTS,
              source: { kind: 'stay', reference: event.data.stayId },
            },
          },
        };
      });
    if (rows.length > 0) await pg.query(RAW_WRITES, [JSON.stringify(rows), POINTS, now]);
    await pg.query('commit');
  } catch (error) {
    await pg.query('rollback');
    throw error;
  }
}

const RAW_WRITES = `
  with r as (
    select * from jsonb_to_recordset($1::jsonb) as r(event_id uuid, guest_id uuid, stay_key text,
      stay_id uuid, property_id text, entry_key text, sequence int, year int, payload jsonb)
  ),
  per_guest as (select guest_id, count(*)::int as stays from r group by guest_id),
  opened as (
    insert into accounts (id, guest_id, opened_at, last_activity_at, available, balance, lifetime_earned)
    select guest_id::text, guest_id, $3, $3, stays * $2, stays * $2, stays * $2 from per_guest
    on conflict (id) do update set available = accounts.available + excluded.available,
      balance = accounts.balance + excluded.balance,
      lifetime_earned = accounts.lifetime_earned + excluded.lifetime_earned,
      last_activity_at = excluded.last_activity_at, version = accounts.version + 1
    returning 1),
  entries as (
    insert into ledger_entries (id, entry_key, account_id, sequence, type, points, occurred_at, cause_kind,
      source_event_id, stay_key, cause)
    select gen_random_uuid(), entry_key, guest_id::text, sequence, 'earn', $2, $3, 'stay', event_id, stay_key,
      jsonb_build_object('kind', 'stay', 'stayKey', stay_key, 'sourceEventId', event_id)
    from r
    returning 1),
  lots as (
    insert into lots (id, account_id, source_entry_key, stay_key, points, state, credited_at, available_at)
    select entry_key || ':L', guest_id::text, entry_key, stay_key, $2, 'available', $3, $3
    from r
    returning 1),
  credited as (
    insert into credited_stays (stay_key, account_id, stay_id, property_id, entry_key, points, base_points,
      qualifying_revenue_minor, nights, stays, qualifying_year, source_event_id, credited_at)
    select stay_key, guest_id::text, stay_id, property_id, entry_key, $2, $2, 0, 3, 1, year, event_id, $3
    from r
    returning 1),
  progress as (
    insert into qualifying_progress (account_id, year, nights, stays, base_points)
    select guest_id::text, year, 3 * count(*), count(*), $2 * count(*) from r
    group by guest_id, year
    on conflict (account_id, year) do update set nights = qualifying_progress.nights + excluded.nights,
      stays = qualifying_progress.stays + excluded.stays,
      base_points = qualifying_progress.base_points + excluded.base_points
    returning 1),
  outbox as (
    insert into messaging_outbox (event_id, event_type, topic, partition_key, payload)
    select (payload->>'id')::uuid, 'points-earned', 'points-earned', guest_id::text, payload from r
    returning 1)
  select (select count(*) from entries) + (select count(*) from lots) + (select count(*) from credited)
    + (select count(*) from progress) + (select count(*) from outbox) as written`;
