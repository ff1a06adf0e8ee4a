import type { EntityManager } from 'typeorm';

/** A fact other services announce about a guest, kept on the guest row with the time it held. */
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

/**
 * Sets a fact on each guest (or its survivor, for a merged-away id) from a run of events, in their order,
 * in one statement: per guest the newest wins, and of two at one instant the later in the run. A value
 * older than the one held is ignored, so a replayed event changes nothing. Rows are locked in id order, so
 * two runs cannot deadlock, and `for no key update`, the lock the update takes anyway: the key-share locks
 * that concurrent stay recording takes on its guests' rows (its inserts reference them) do not conflict with
 * it, where `for update` made each wait for the other.
 */
export async function setNewestGuestFacts<V>(
  manager: EntityManager,
  fact: keyof typeof FACTS,
  facts: readonly GuestFact<V>[],
): Promise<void> {
  if (facts.length === 0) return;
  const { column, asOfColumn, type } = FACTS[fact];
  await manager.query(
    `with newest as (
       select distinct on (coalesce(g.merged_into, g.id)) coalesce(g.merged_into, g.id) as target,
         e.value, e.as_of
       from unnest($1::uuid[], $2::${type}[], $3::timestamptz[]) with ordinality as e(guest_id, value, as_of, n)
       join guests g on g.id = e.guest_id
       order by coalesce(g.merged_into, g.id), e.as_of desc, e.n desc),
     locked as (select id from guests where id in (select target from newest) order by id for no key update)
     update guests g set ${column} = newest.value, ${asOfColumn} = newest.as_of, updated_at = now()
     from newest
     where g.id = newest.target and g.id in (select id from locked)
       and (g.${asOfColumn} is null or g.${asOfColumn} <= newest.as_of)`,
    [facts.map((f) => f.guestId), facts.map((f) => f.value), facts.map((f) => f.asOf)],
  );
}
