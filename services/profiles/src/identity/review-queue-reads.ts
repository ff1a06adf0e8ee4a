import type { DataSource } from 'typeorm';
import type { ReviewQueuePosition } from './review-queue-page';

/** Whom the queue is read for: every guest (a chain-wide caller), or the guests known at these properties. */
export type QueueScope = 'all' | readonly string[];

export interface QueuedSuggestionRow {
  id: string;
  guest_a: string;
  guest_b: string;
  rule: string;
  score: string;
  created_at: Date;
  /** Its time to the microsecond, as a cursor holds it. */
  position_at: string;
}

// Both statements take the position to read after as $1-$3 (all null: from the head of the queue) and the
// properties of a property-scoped caller as $4 (null: every property).

/** The queue's order, as `match_suggestions_queue` holds the open suggestions: strongest, oldest, then by id. */
const QUEUE_ORDER = '-m.score, m.created_at, m.id';

/** One row comparison in the index's order: the index seeks to the position instead of reading up to it. */
const AFTER_POSITION = `($1::numeric is null or (${QUEUE_ORDER}) > (-$1::numeric, $2::timestamptz, $3::uuid))`;

/** A chain-wide caller's scope: every suggestion. It names $4 all the same, as Postgres types every parameter. */
const EVERY_PROPERTY = '$4::text[] is null';

/**
 * Whether the guest in `column` stayed or booked at one of the properties, as `ProfileReader.properties` reads
 * one guest's: probed through that guest's rows as the page comes to the suggestion. One `exists` over a union:
 * Postgres may answer two of them by hashing every stay at the properties first, for the few suggestions a
 * page walks.
 */
const knownAtProperties = (column: string) => `exists (
  select 1 from stays s where s.guest_id = ${column} and s.property_id = any($4::text[])
  union all select 1 from reservations r where r.guest_id = ${column} and r.property_id = any($4::text[]))`;

/** The same rule from the properties' side, for counting: every guest who stayed or booked at one of them. */
const GUESTS_AT_PROPERTIES = `select guest_id from stays where property_id = any($4::text[])
  union all select guest_id from reservations where property_id = any($4::text[])`;

/** How many open suggestions the scope holds, and how many of them come after the position. */
function countStatement(scope: QueueScope): string {
  const counted = `select count(*) as total, count(*) filter (where ${AFTER_POSITION}) as remaining
    from match_suggestions m where m.status = 'open'`;
  if (scope === 'all') return `${counted} and ${EVERY_PROPERTY}`;
  return `with known as materialized (${GUESTS_AT_PROPERTIES})
    ${counted} and m.guest_a in (select guest_id from known) and m.guest_b in (select guest_id from known)`;
}

/** The first $5 open suggestions of the scope after the position, walking the queue in order. */
function pageStatement(scope: QueueScope): string {
  const inScope =
    scope === 'all'
      ? EVERY_PROPERTY
      : `${knownAtProperties('m.guest_a')} and ${knownAtProperties('m.guest_b')}`;
  return `select m.id, m.guest_a, m.guest_b, m.rule, m.score, m.created_at,
      to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as position_at
    from match_suggestions m
    where m.status = 'open' and ${AFTER_POSITION} and ${inScope}
    order by ${QUEUE_ORDER} limit $5`;
}

/**
 * The suggestions of a page after `after` (the first page without it), one more when a next page follows, and
 * how many open suggestions the scope holds. A page walks the queue only as far as it needs: it stops once
 * full, or at the last suggestion in scope, which the count tells (read in the same snapshot), rather than
 * probing the rest of the queue to find no more. The total still takes every suggestion in scope into account:
 * for a property's, every guest known there is read once, through indexes of their own, and matched against
 * the open suggestions' guests, instead of each suggestion's guests being looked up.
 */
export async function readQueuePage(
  dataSource: DataSource,
  scope: QueueScope,
  after: ReviewQueuePosition | null,
  pageSize: number,
): Promise<{ total: number; rows: QueuedSuggestionRow[] }> {
  const parameters = [
    after?.score ?? null,
    after?.createdAt ?? null,
    after?.id ?? null,
    scope === 'all' ? null : scope,
  ];
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    const [counted]: { total: string; remaining: string }[] = await manager.query(
      countStatement(scope),
      parameters,
    );
    const limit = Math.min(pageSize + 1, Number(counted.remaining));
    const rows: QueuedSuggestionRow[] =
      limit > 0 ? await manager.query(pageStatement(scope), [...parameters, limit]) : [];
    return { total: Number(counted.total), rows };
  });
}
