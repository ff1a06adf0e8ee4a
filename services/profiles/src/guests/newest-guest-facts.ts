import type { EntityManager } from 'typeorm';

/** A fact other services announce about a guest, kept in the guest's `guest_facts` row with the time it held. */
export interface GuestFact<V> {
  guestId: string;
  value: V;
  asOf: string;
}

const FACTS = {
  pointsBalance: { column: 'points_balance', asOfColumn: 'points_as_of', type: 'int' },
  tier: { column: 'tier', asOfColumn: 'tier_as_of', type: 'text' },
  lastSurveyScore: { column: 'last_survey_score', asOfColumn: 'last_survey_at', type: 'int' },
} as const;

// `survivors (guest_id, target)`: each known guest id of the uuid array `$1` with the profile it was
// finally merged into (a merge points every id merged earlier at its survivor); itself when not merged.
const SURVIVORS = `survivors (guest_id, target) as (
    select id, coalesce(merged_into, id) from guests where id = any($1::uuid[]))`;

/** The profile an id stands for now: its final survivor when merged away; undefined for an unknown id. */
export async function survivorOf(manager: EntityManager, guestId: string): Promise<string | undefined> {
  const [row]: { target: string }[] = await manager.query(`with ${SURVIVORS} select target from survivors`, [
    [guestId],
  ]);
  return row?.target;
}

/**
 * Sets a fact on each guest (or its final survivor, for a merged-away id) from a run of events, in their order,
 * in one statement: per guest the newest wins, and of two at one instant the later in the run. A value
 * older than the one held is ignored, so a replayed event changes nothing. The facts have a row of their
 * own, apart from the guest row that recording a stay locks until it commits, so they never wait for a
 * stay; rows are written in guest id order, so two runs cannot deadlock.
 */
export async function setNewestGuestFacts<V>(
  manager: EntityManager,
  fact: keyof typeof FACTS,
  facts: readonly GuestFact<V>[],
): Promise<void> {
  if (facts.length === 0) return;
  const { column, asOfColumn, type } = FACTS[fact];
  await manager.query(
    `with ${SURVIVORS},
     newest as (
       select distinct on (s.target) s.target, e.value, e.as_of
       from unnest($1::uuid[], $2::${type}[], $3::timestamptz[]) with ordinality as e(guest_id, value, as_of, n)
       join survivors s on s.guest_id = e.guest_id
       order by s.target, e.as_of desc, e.n desc)
     insert into guest_facts as f (guest_id, ${column}, ${asOfColumn})
     select target, value, as_of from newest order by target
     on conflict (guest_id) do update
       set ${column} = excluded.${column}, ${asOfColumn} = excluded.${asOfColumn}, updated_at = now()
       where f.${asOfColumn} is null or f.${asOfColumn} <= excluded.${asOfColumn}`,
    [facts.map((f) => f.guestId), facts.map((f) => f.value), facts.map((f) => f.asOf)],
  );
}

/**
 * Marks guests' facts as changed where the change lives in a table of its own (open complaints, stays), so
 * a cached profile of the guest is stale; a guest this service does not know is left alone. In guest id
 * order, so two writers cannot deadlock.
 */
export async function touchGuestFacts(manager: EntityManager, ...guestIds: string[]): Promise<void> {
  if (!guestIds.length) return;
  await manager.query(
    `insert into guest_facts (guest_id) select id from guests where id = any($1::uuid[]) order by id
     on conflict (guest_id) do update set updated_at = now()`,
    [guestIds],
  );
}
