// The baselines of the ledger benchmark: what a consumer with no business logic costs when it writes the
// rows the ledger writes for a stay, in the ledger's own tables (same schema, indexes and triggers).
//
// Per stay: a credited_stays row, an earn ledger entry, a lot, and a `points-earned` event in the outbox;
// per guest of the batch: the account row (created, or its balances and entry sequence raised) and its
// qualifying progress for the year; for every second stay of a guest (its entry sequence is even), a
// `tier-changed` event in the outbox, as many as the ledger announces for the benchmark's stays (each
// guest's second stay makes silver, its fourth gold), so both write the same rows; the benchmark checks
// the counts. Every stay earns a fixed 100 points. Left out, because they are the business logic being
// measured: loading and locking the accounts, the earning rules, promotions, milestones and tiers.
//
// Two consumers write those rows:
//   - the same consumer as the ledger (the platform's transport, run by `SameConsumerBaselineModule`):
//     contract validation, the inbox, one transaction per batch, the outbox and its relay to Kafka;
//   - a bare kafkajs consumer (`insertBareBatch`): JSON.parse, the inbox and every row in one statement,
//     the outbox rows written but never published. A floor, not a consumer the platform would run.
import { randomUUID } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Client } from 'pg';
import { BaseServiceConfig } from '@loyalty/config';
import type { EventData, ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { ServicePlatformModule } from '@loyalty/platform';
import { LEDGER_MESSAGING } from '../src/app.module';

export const POINTS = 100;

export interface RawStay {
  eventId: string;
  guestId: string;
  stayId: string;
  propertyId: string;
  reservationId: string;
  departure: string;
}

type Query = (sql: string, params: unknown[]) => Promise<unknown>;

function pointsEarned(stay: RawStay, occurredAt: string): EventData<'points-earned'> {
  return {
    guestId: stay.guestId,
    transactionId: randomUUID(),
    balanceAfter: POINTS,
    occurredAt,
    points: POINTS,
    source: { kind: 'stay', reference: stay.stayId, propertyId: stay.propertyId },
  };
}

function tierChanged(stay: RawStay, changedAt: string): EventData<'tier-changed'> {
  return { guestId: stay.guestId, from: 'member', to: 'silver', reason: 'qualified', changedAt };
}

function envelope(type: 'points-earned' | 'tier-changed', stay: RawStay, data: object): object {
  return {
    specversion: '1.0',
    id: randomUUID(),
    type,
    source: 'loyalty/points-ledger',
    subject: stay.guestId,
    data,
  };
}

/**
 * Writes each stay's rows in the caller's transaction; with `outbox`, its events as well. Returns the
 * event ids of the stays that announce a tier change.
 */
async function writeStays(
  query: Query,
  stays: readonly RawStay[],
  now: string,
  outbox: boolean,
): Promise<Set<string>> {
  if (stays.length === 0) return new Set();
  const rows = stays.map((stay) => ({
    event_id: stay.eventId,
    guest_id: stay.guestId,
    stay_key: `${stay.propertyId}/${stay.reservationId}`,
    stay_id: stay.stayId,
    property_id: stay.propertyId,
    entry_key: `${stay.guestId}:${stay.eventId}`,
    year: Number(stay.departure.slice(0, 4)),
    earned: outbox ? envelope('points-earned', stay, pointsEarned(stay, now)) : null,
    tier: outbox ? envelope('tier-changed', stay, tierChanged(stay, now)) : null,
  }));
  const tierChanging = (await query(
    outbox ? `${STAY_WRITES}, ${OUTBOX_WRITE} ${TIER_CHANGING}` : `${STAY_WRITES} ${TIER_CHANGING}`,
    [JSON.stringify(rows), POINTS, now],
  )) as { event_id: string }[];
  return new Set(tierChanging.map((row) => row.event_id));
}

const STAY_WRITES = `
  with r as (
    select *, row_number() over (partition by guest_id order by event_id) as n
    from json_to_recordset($1::json) as r(event_id uuid, guest_id uuid, stay_key text,
      stay_id uuid, property_id text, entry_key text, year int, earned json, tier json)
  ),
  per_guest as (select guest_id, count(*)::int as stays from r group by guest_id),
  opened as (
    insert into accounts (id, guest_id, opened_at, last_activity_at, available, balance, lifetime_earned,
      next_sequence)
    select guest_id::text, guest_id, $3, $3, stays * $2, stays * $2, stays * $2, stays + 1 from per_guest
    on conflict (id) do update set available = accounts.available + excluded.available,
      balance = accounts.balance + excluded.balance,
      lifetime_earned = accounts.lifetime_earned + excluded.lifetime_earned,
      next_sequence = accounts.next_sequence + excluded.next_sequence - 1,
      last_activity_at = excluded.last_activity_at, version = accounts.version + 1
    returning id, next_sequence),
  entries as (
    insert into ledger_entries (id, entry_key, account_id, sequence, type, points, occurred_at, cause_kind,
      source_event_id, stay_key, cause)
    select gen_random_uuid(), entry_key, r.guest_id::text, o.next_sequence - r.n, 'earn', $2, $3, 'stay',
      event_id, stay_key, jsonb_build_object('kind', 'stay', 'stayKey', stay_key, 'sourceEventId', event_id)
    from r join opened o on o.id = r.guest_id::text
    returning source_event_id, sequence),
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
    returning 1)`;

const OUTBOX_WRITE = `
  outbox as (
    insert into messaging_outbox (event_id, event_type, topic, partition_key, payload)
    select (earned->>'id')::uuid, 'points-earned', 'points-earned', guest_id::text, earned from r
    union all
    select (tier->>'id')::uuid, 'tier-changed', 'tier-changed', guest_id::text, tier
    from r join entries e on e.source_event_id = r.event_id where e.sequence % 2 = 0
    returning 1)`;

// A data-modifying CTE runs whether or not the statement reads it, so the result can be just this.
const TIER_CHANGING = `select source_event_id as event_id from entries where sequence % 2 = 0`;

interface RawMessage {
  partition: number;
  offset: string;
  value: Buffer | null;
}

interface BareEvent {
  id: string;
  data: Omit<RawStay, 'eventId'>;
}

/** The bare consumer: per partition batch, one transaction claiming the events in the inbox and writing. */
export async function insertBareBatch(
  pg: Client,
  group: string,
  topic: string,
  messages: readonly RawMessage[],
): Promise<void> {
  const events = messages.map((message) => ({
    message,
    event: JSON.parse(String(message.value)) as BareEvent,
  }));
  await pg.query('begin');
  try {
    const claimed = await pg.query<{ event_id: string }>(
      `insert into messaging_inbox (consumer_group, event_id, event_type, topic, partition, "offset")
       select $1, id, 'stay-recorded', $2, p, o from unnest($3::uuid[], $4::int[], $5::bigint[]) as t(id, p, o)
       on conflict do nothing returning event_id`,
      [
        group,
        topic,
        events.map(({ event }) => event.id),
        events.map(({ message }) => message.partition),
        events.map(({ message }) => message.offset),
      ],
    );
    // A message can come twice in one fetch; like the platform's transport, apply each event id once.
    const fresh = new Set(claimed.rows.map((row) => row.event_id));
    const stays = [...new Map(events.map(({ event }) => [event.id, event])).values()]
      .filter((event) => fresh.has(event.id))
      .map((event) => ({ ...event.data, eventId: event.id }));
    await writeStays(
      async (sql, params) => (await pg.query(sql, params)).rows,
      stays,
      new Date().toISOString(),
      true,
    );
    await pg.query('commit');
  } catch (error) {
    await pg.query('rollback');
    throw error;
  }
}

export class SameConsumerBaselineConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'points-ledger-baseline';
}

@Controller()
class RawStayHandler {
  @EventPattern('stay-recorded', { batch: true })
  async onStaysRecorded(
    @Payload() events: ValidatedEvent<'stay-recorded'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const now = new Date().toISOString();
    const stays = events.map((event) => ({ ...event.data, eventId: event.envelope.id }));
    const tierChanging = await writeStays((sql, params) => ctx.manager.query(sql, params), stays, now, false);
    stays.forEach((stay, i) => {
      ctx.publish('points-earned', pointsEarned(stay, now), { causedBy: events[i] });
      if (tierChanging.has(stay.eventId))
        ctx.publish('tier-changed', tierChanged(stay, now), { causedBy: events[i] });
    });
  }
}

/**
 * The ledger's consumer with the business logic taken out: the same platform module and transport
 * tuning as the ledger's AppModule, on a database the ledger has migrated.
 */
@Module({
  imports: [
    ServicePlatformModule.forService({
      service: 'points-ledger-baseline',
      config: SameConsumerBaselineConfig,
      entities: [],
      migrations: [],
      messaging: LEDGER_MESSAGING,
    }),
  ],
  controllers: [RawStayHandler],
})
export class SameConsumerBaselineModule {}
