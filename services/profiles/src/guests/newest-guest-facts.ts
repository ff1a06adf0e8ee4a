import type { EntityManager } from 'typeorm';

/** A fact other services announce about a guest, kept in the guest's `guest_facts` row with the time it held. */
export interface GuestFact<V> {
  guestId: string;
  value: V;
  asOf: string;
}

/**
 * `landsOnSurvivor`: whether a fact about an id merged away here is the survivor's too. A survey answered
 * under the merged-away id was answered by the guest the survivor is. The ledger's balance and tier are not:
 * once the ledger has merged the two accounts its events name the survivor, so one naming the merged-away id
 * comes from before, and holds that account's own balance or tier. The ledger's merge announces the
 * survivor's own: a `points-adjusted` with the combined balance when the merged account brings points (the
 * balance is unchanged otherwise), a `tier-changed` when the merge changes the survivor's tier.
 */
const FACTS = {
  pointsBalance: {
    column: 'points_balance',
    asOfColumn: 'points_as_of',
    type: 'int',
    landsOnSurvivor: false,
  },
  tier: { column: 'tier', asOfColumn: 'tier_as_of', type: 'text', landsOnSurvivor: false },
  lastSurveyScore: {
    column: 'last_survey_score',
    asOfColumn: 'last_survey_at',
    type: 'int',
    landsOnSurvivor: true,
  },
} as const;

/**
 * The profile each known id stands for now (its final survivor when merged away; itself when not), with
 * the guest rows of the ids and of their survivors locked until commit; an unknown id is left out. A merge
 * locks both guests `for update`, so it either committed first, and the id is seen merged, or it waits until
 * what the caller writes for the survivor commits, and then moves it along. `for key share` does not wait
 * for a stay in flight, which only updates the guest row.
 */
export async function lockSurvivors(
  manager: EntityManager,
  guestIds: readonly string[],
): Promise<Map<string, string>> {
  const mergedInto = new Map<string, string | null>();
  let toLock = [...new Set(guestIds)];
  while (toLock.length) {
    // The ids with the survivors they name, in id order as a merge locks its pair. A stay batch merging
    // several pairs, or a survivor found in a second round, can still close a cycle with a merge in flight:
    // Postgres then rolls one transaction back and its consumer retries it.
    const rows: { id: string; merged_into: string | null }[] = await manager.query(
      `select id, merged_into from guests
       where id = any($1::uuid[]) or id in (select merged_into from guests where id = any($1::uuid[]))
       order by id for key share`,
      [toLock],
    );
    for (const row of rows) mergedInto.set(row.id, row.merged_into);
    // A merge that committed while this waited for a lock names a survivor not locked yet: locked next.
    toLock = [
      ...new Set(
        rows.map((row) => row.merged_into).filter((id): id is string => !!id && !mergedInto.has(id)),
      ),
    ];
  }
  const survivors = new Map<string, string>();
  for (const guestId of guestIds) {
    if (!mergedInto.has(guestId)) continue;
    let at = guestId;
    for (let next = mergedInto.get(at); next; next = mergedInto.get(at)) at = next;
    survivors.set(guestId, at);
  }
  return survivors;
}

/**
 * Sets a fact on each guest from a run of events, in their order: per guest the newest wins, and of two at
 * one instant the later in the run. A merged-away id's fact goes to its final survivor when it
 * `landsOnSurvivor`, and is dropped otherwise: no profile shows a merged-away id's facts. A value older than
 * the one held is ignored, so a replayed event changes nothing. The facts have a row of their own, apart from
 * the guest row that recording a stay locks until it commits, so they never wait for a stay; rows are
 * written in guest id order, so two runs cannot deadlock. Returns the profiles written, whose cached views
 * are stale once it commits.
 */
export async function setNewestGuestFacts<V>(
  manager: EntityManager,
  fact: keyof typeof FACTS,
  facts: readonly GuestFact<V>[],
): Promise<string[]> {
  const survivors = await lockSurvivors(
    manager,
    facts.map((f) => f.guestId),
  );
  const { column, asOfColumn, type, landsOnSurvivor } = FACTS[fact];
  const known = facts.filter(
    (f) => survivors.has(f.guestId) && (landsOnSurvivor || survivors.get(f.guestId) === f.guestId),
  );
  if (known.length === 0) return [];
  await manager.query(
    `with newest as (
       select distinct on (e.guest_id) e.guest_id, e.value, e.as_of
       from unnest($1::uuid[], $2::${type}[], $3::timestamptz[]) with ordinality as e(guest_id, value, as_of, n)
       order by e.guest_id, e.as_of desc, e.n desc)
     insert into guest_facts as f (guest_id, ${column}, ${asOfColumn})
     select guest_id, value, as_of from newest order by guest_id
     on conflict (guest_id) do update
       set ${column} = excluded.${column}, ${asOfColumn} = excluded.${asOfColumn}, updated_at = now()
       where f.${asOfColumn} is null or f.${asOfColumn} <= excluded.${asOfColumn}`,
    [known.map((f) => survivors.get(f.guestId)), known.map((f) => f.value), known.map((f) => f.asOf)],
  );
  return [...new Set(known.map((f) => survivors.get(f.guestId)!))];
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
