import { isPostgresBigint, parseKeysetCursor } from '@loyalty/platform';

/**
 * The access log grows with every read of a guest, so it is read in pages, oldest first, keyset-paginated
 * on the row id: rows logged while a reader pages are only ever after the last page, so none is skipped or
 * repeated.
 */
export const ACCESS_LOG_PAGE_SIZE = 100;
export const MAX_ACCESS_LOG_PAGE_SIZE = 500;

/**
 * A page of one guest's log ($1) after a row id ($2, null for the first page), $3 rows. pg hands a bigint
 * back as text, which the cursor keeps exactly (a JS number would not past 2^53).
 */
export const ACCESS_LOG_PAGE_SQL = `select id as row_id, actor, roles, action, reason, accessed_at from access_log
  where guest_id = $1 and ($2::bigint is null or id > $2::bigint)
  order by id limit $3`;

export const ACCESS_LOG_CURSOR_REFUSED = 'cursor is not a nextCursor from this access log';

/** One read of a guest's personal data. */
export interface AccessLogEntry {
  actor: string;
  roles: string[];
  action: string;
  reason: string;
  accessedAt: string;
}

// Goes to Postgres as a bigint: one it cannot cast would fail the query. Row ids start at 1.
function isRowId(id: string): boolean {
  return id !== '0' && isPostgresBigint(id);
}

/** The id after which the next page starts; null when the cursor is not one the log hands out. */
export function parseAccessLogCursor(cursor: string): string | null {
  return parseKeysetCursor(cursor, [isRowId])?.[0] ?? null;
}
