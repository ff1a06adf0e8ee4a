import type { EntityManager } from 'typeorm';

/** A fact other services announce about a guest, kept in the guest's `guest_facts` row with the time it held. */
export interface GuestFact<V> {
  guestId: string;
  value: V;
  asOf: string;
  /** Where the announcing service orders its facts of a guest itself (the ledger's balances): newer is higher. */
  sequence?: number;
}

/**
 * `landsOnSurvivor`: whether a fact about an id merged away here is the survivor's too. A survey answered
 * under the merged-away id was answered by the guest the survivor is. The ledger's balance and tier are not:
 * once the ledger has merged the two accounts its events name the survivor, so one naming the merged-away id
 * comes from before, and holds that account's own balance or tier. The ledger's merge announces the
 * survivor's own: a `points-adjusted` with the combined balance when the merged account brings points or
 * its clawback owed takes some of the survivor's (the balance is unchanged otherwise), a `tier-changed`
 * when the merge changes the survivor's tier.
 */
const FACTS = {
  pointsBalance: {
    column: 'points_balance',
    asOfColumn: 'points_as_of',
    sequenceColumn: 'points_sequence',
    type: 'int',
    landsOnSurvivor: false,
  },
  tier: {
    column: 'tier',
    asOfColumn: 'tier_as_of',
    sequenceColumn: null,
    type: 'text',
    landsOnSurvivor: false,
  },
  lastSurveyScore: {
    column: 'last_survey_score',
    asOfColumn: 'last_survey_at',
    sequenceColumn: null,
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
 *
 * The rows are locked in one statement in id order, as a merge locks its pair, so that of two transactions
 * wanting the same guests one waits for the other, never each for the other. A merge committing while this
 * waited for a row names a survivor not locked yet: locked after the others, out of that order, it could be
 * held by a merge waiting for one of them (a deadlock, and Postgres fails one of the two). So the locks are
 * given back instead, and every row, as the merges stand now, locked again in order.
 */
export async function lockSurvivors(
  manager: EntityManager,
  guestIds: readonly string[],
): Promise<Map<string, string>> {
  const asked = [...new Set(guestIds)];
  for (;;) {
    // Row locks taken after a savepoint are released when it is rolled back to; the caller's earlier locks
    // stay.
    await manager.query('savepoint locking_survivors');
    // The ids and the survivors they name as the statement starts (a merge points every id merged into the
    // merged guest at the survivor too, so one step leads to the final one), locked in id order. A locking
    // read returns each row as it is now: a merge that committed while it waited shows in them.
    const rows: { id: string; merged_into: string | null }[] = await manager.query(
      `select id, merged_into from guests
       where id = any(array(select unnest($1::uuid[])
                            union select merged_into from guests where id = any($1::uuid[])))
       order by id for key share`,
      [asked],
    );
    const mergedInto = new Map(rows.map((row) => [row.id, row.merged_into]));
    const survivors = new Map<string, string>();
    for (const guestId of asked) {
      if (!mergedInto.has(guestId)) continue;
      survivors.set(guestId, mergedInto.get(guestId) ?? guestId);
    }
    const settled = [...survivors.values()].every(
      (survivorId) => mergedInto.has(survivorId) && mergedInto.get(survivorId) === null,
    );
    if (settled) {
      await manager.query('release savepoint locking_survivors');
      return survivors;
    }
    await manager.query('rollback to savepoint locking_survivors');
  }
}

/**
 * Sets a fact on each guest from a run of events, in their order: per guest the newest wins, and of two at
 * one instant the later in the run. Where the fact has a sequence (`sequenceColumn`), the higher sequence is
 * the newer, whatever the instants say: the ledger books two balances at one instant, and one that waited for
 * the account at the time it began. A fact without one (announced before there was one) is compared by its
 * instant. A merged-away id's fact goes to its final survivor when it `landsOnSurvivor`, and is dropped
 * otherwise: no profile shows a merged-away id's facts. A value older than the one held is ignored, so a
 * replayed event changes nothing. The facts have a row of their own, apart from the guest row that recording
 * a stay locks until it commits, so they never wait for a stay; rows are written in guest id order, so two
 * runs cannot deadlock. Returns the profiles written, whose cached views are stale once it commits.
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
  const { column, asOfColumn, sequenceColumn, type, landsOnSurvivor } = FACTS[fact];
  const known = facts.filter(
    (f) => survivors.has(f.guestId) && (landsOnSurvivor || survivors.get(f.guestId) === f.guestId),
  );
  if (known.length === 0) return [];
  // Per profile, the run folded in its order as the rows would take it one event at a time, so a run's
  // outcome does not depend on how the events were batched.
  const newest = new Map<string, GuestFact<V>>();
  for (const f of known) {
    const survivorId = survivors.get(f.guestId) as string;
    const held = newest.get(survivorId);
    if (!held || isNewer(f, held)) newest.set(survivorId, f);
  }
  const rows = [...newest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // Facts without a sequence column take none: their rows are written as before.
  const [sequenceTarget, sequenceValue, sequenceSet, newer] = sequenceColumn
    ? [
        `, ${sequenceColumn}`,
        ', sequence',
        `${sequenceColumn} = excluded.${sequenceColumn},`,
        `case when f.${sequenceColumn} is not null and excluded.${sequenceColumn} is not null
           then f.${sequenceColumn} <= excluded.${sequenceColumn}
           else f.${asOfColumn} <= excluded.${asOfColumn} end`,
      ]
    : ['', '', '', `f.${asOfColumn} <= excluded.${asOfColumn}`];
  await manager.query(
    `insert into guest_facts as f (guest_id, ${column}, ${asOfColumn}${sequenceTarget})
     select guest_id, value, as_of${sequenceValue}
     from unnest($1::uuid[], $2::${type}[], $3::timestamptz[], $4::int[]) as e(guest_id, value, as_of, sequence)
     on conflict (guest_id) do update
       set ${column} = excluded.${column}, ${asOfColumn} = excluded.${asOfColumn}, ${sequenceSet}
         updated_at = now()
       where f.${asOfColumn} is null or ${newer}`,
    [
      rows.map(([survivorId]) => survivorId),
      rows.map(([, f]) => f.value),
      rows.map(([, f]) => f.asOf),
      rows.map(([, f]) => f.sequence ?? null),
    ],
  );
  return [...new Set(known.map((f) => survivors.get(f.guestId)!))];
}

/**
 * Whether `fact` replaces `held`, which came before it in the run: by sequence when both have one, else by
 * instant; of two alike, the later in the run.
 */
function isNewer<V>(fact: GuestFact<V>, held: GuestFact<V>): boolean {
  if (fact.sequence !== undefined && held.sequence !== undefined) return fact.sequence >= held.sequence;
  return Date.parse(fact.asOf) >= Date.parse(held.asOf);
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
