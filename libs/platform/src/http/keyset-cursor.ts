/**
 * Keyset pagination's cursor: the sort position of a page's last row (its sort values, then the id that
 * makes it unique), joined with `|` and base64url-encoded so clients treat it as opaque. The parts come
 * back in a query string and go to Postgres as typed parameters, so every part is checked on the way in:
 * one Postgres cannot cast would fail the query with a 500 instead of the request with a 400.
 */

/** A page of a list with the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Whether one part of a cursor is a value its column's type accepts. */
export type CursorPartCheck = (part: string) => boolean;

export function encodeKeysetCursor(parts: readonly string[]): string {
  return Buffer.from(parts.join('|')).toString('base64url');
}

/**
 * The parts of `cursor`, one for each of `checks`; null when it has another number of parts or any part
 * fails its check (a cursor from another list, or made up).
 */
export function parseKeysetCursor<const Checks extends readonly CursorPartCheck[]>(
  cursor: string,
  checks: Checks,
): { readonly [K in keyof Checks]: string } | null {
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  if (parts.length !== checks.length) return null;
  return parts.every((part, i) => checks[i](part)) ? (parts as { [K in keyof Checks]: string }) : null;
}

/**
 * Cuts rows fetched one beyond `limit` (the extra one tells whether there is a next page) into the page
 * and the cursor of the next one, made from the position of the page's last row.
 */
export function pageOf<T>(rows: T[], limit: number, positionOf: (row: T) => readonly string[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeKeysetCursor(positionOf(last)) : null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid: CursorPartCheck = (part) => UUID.test(part);

/**
 * An instant exactly as `toISOString` writes it, which also refuses what a `Date` reads but Postgres does
 * not (`2026-02-30` rolled over to March). Only years 1-9999: Postgres has no year 0, and `toISOString`
 * writes later years signed (`+010000`), which Postgres reads otherwise.
 */
export const isIsoInstant: CursorPartCheck = (part) => {
  if (!/^\d{4}-/.test(part) || part.startsWith('0000')) return false;
  const at = new Date(part);
  return !Number.isNaN(at.getTime()) && at.toISOString() === part;
};

const POSTGRES_INT_MAX = BigInt('2147483647');
const POSTGRES_BIGINT_MAX = BigInt('9223372036854775807');

// Written as `String(n)` writes a whole number (no sign, no leading zero); compared as a bigint, as a
// Number would round past 2^53.
function isWholeNumberUpTo(max: bigint): CursorPartCheck {
  return (part) => /^(0|[1-9]\d*)$/.test(part) && BigInt(part) <= max;
}

/** A non-negative whole number Postgres can cast to `int`. */
export const isPostgresInt: CursorPartCheck = isWholeNumberUpTo(POSTGRES_INT_MAX);

/** A non-negative whole number Postgres can cast to `bigint`. */
export const isPostgresBigint: CursorPartCheck = isWholeNumberUpTo(POSTGRES_BIGINT_MAX);
