import type { EntityManager } from 'typeorm';
import { encodeKeysetCursor, type Page } from '@loyalty/platform';

// The list of parked adjustments pages by when each was first parked (`parked_at`, kept by a discard and
// its restore) and then its arrival (`sequence`). Either is taken as the row is written, but the row is seen
// only once its transaction commits: a transaction parking an adjustment at 10:00:00 and committing at
// 10:00:05 would show it behind a reader that had paged past 10:00:03 meanwhile, and that reader would never
// see it. A short horizon ("list only what was parked over a minute ago") is sound only while no transaction
// runs longer, which nothing bounds (a batch waiting for an account's lock, a slow disk). What is known is
// which transactions are writing the table now: they hold its RowExclusiveLock until they end, taken
// before the statement that writes a row runs. So the list stops short of the horizon:
//  - a transaction holding that lock as the horizon is read parks nothing earlier than it began, which
//    the horizon is not after;
//  - one taking it later parks after the horizon was read (`parkAdjustment` stamps the row as it is
//    written, on the database's clock, which the horizon is read on too);
//  - one that ended before is seen by the list, whose statement starts after the horizon's.
// Nothing a reader has paged past can appear there later, and no writer waits for a reader. The rows at or
// after the horizon are listed once the transactions before it end: a page can be short of its limit,
// even empty, and still have a next one. The exception is deliberate: a restored adjustment goes back to
// where it was first parked (`parked_at`), behind a reader that had passed it while it stood discarded.

/**
 * The instant before which every parked adjustment a reader can ever see is visible now (as Postgres
 * text: to the microsecond, or `-infinity`). Read in a statement of its own, before the rows: a statement
 * sees what committed before it started, and the transactions that commit between the two are accounted
 * for by their lock. A lock holder whose start the service's role cannot see (a session of another role,
 * a prepared transaction) may have parked anything: nothing is listed until it ends. A holder whose
 * session is gone by the time its start is read has ended its transaction.
 */
export async function listingHorizon(db: Pick<EntityManager, 'query'>): Promise<string> {
  const [row]: { horizon: string }[] = await db.query(
    `select least(statement_timestamp(), min(coalesce(a.xact_start, '-infinity')))::text as horizon
     from pg_locks l left join pg_stat_activity a on a.pid = l.pid
     where l.locktype = 'relation' and l.mode = 'RowExclusiveLock' and l.granted
       and l.database = (select oid from pg_database where datname = current_database())
       and l.relation = 'parked_stay_adjustments'::regclass
       and (a.pid is not null or l.pid is null)`,
  );
  return row.horizon;
}

/** Where a list that has listed nothing yet resumes: before every position. */
export const FIRST_POSITION: readonly string[] = ['0', '0'];

/**
 * Rows read in list order after position `from`, up to one beyond `limit`, each `settled` when it is
 * before the horizon: the page is the settled ones up to the limit. The next page follows it whenever a
 * row was read beyond it, settled or not, so a reader comes back for the unsettled ones.
 */
export function settledPage<T extends { settled: boolean }>(
  rows: readonly T[],
  limit: number,
  from: readonly string[],
  positionOf: (row: T) => readonly string[],
): Page<T> {
  const unsettled = rows.findIndex((row) => !row.settled);
  const items = rows.slice(0, Math.min(limit, unsettled === -1 ? rows.length : unsettled));
  const last = items[items.length - 1];
  const more = rows.length > items.length;
  return { items, nextCursor: more ? encodeKeysetCursor(last ? positionOf(last) : from) : null };
}
