import { isPostgresBigint, parseKeysetCursor } from '@loyalty/platform';

/**
 * The access log grows with every read of a guest, so it is read in pages, oldest first, keyset-paginated
 * on the row id: rows logged while a reader pages are only ever after the last page, so none is skipped or
 * repeated.
 */
export const ACCESS_LOG_PAGE_SIZE = 100;
export const MAX_ACCESS_LOG_PAGE_SIZE = 500;

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
