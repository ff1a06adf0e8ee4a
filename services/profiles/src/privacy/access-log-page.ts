/**
 * The access log grows with every read of a guest, so it is read in pages, oldest first, keyset-paginated
 * on the row id: rows logged while a reader pages are only ever after the last page, so none is skipped or
 * repeated.
 */
export const ACCESS_LOG_PAGE_SIZE = 100;
export const MAX_ACCESS_LOG_PAGE_SIZE = 500;

export const ACCESS_LOG_CURSOR_REFUSED = 'cursor is not a nextCursor from this access log';

const POSTGRES_BIGINT_MAX = BigInt('9223372036854775807');

/** One read of a guest's personal data. */
export interface AccessLogEntry {
  actor: string;
  roles: string[];
  action: string;
  reason: string;
  accessedAt: string;
}

/** A page of the log with the cursor of the next page (null on the last). */
export interface AccessLogPage {
  items: AccessLogEntry[];
  nextCursor: string | null;
}

export function encodeAccessLogCursor(lastId: string): string {
  return Buffer.from(lastId).toString('base64url');
}

/** The id after which the next page starts; null when the cursor is not one the log hands out. */
export function parseAccessLogCursor(cursor: string): string | null {
  const id = Buffer.from(cursor, 'base64url').toString();
  // Goes to Postgres as a bigint: one it cannot cast would fail the query.
  return /^[1-9]\d{0,18}$/.test(id) && BigInt(id) <= POSTGRES_BIGINT_MAX ? id : null;
}
