import { ComplaintError, ComplaintErrorCode } from '../domain';

/** A page of a list, newest first, with the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Keyset position: the sort value (an instant or a count, as text) and id of the previous page's last item. */
export interface Position {
  after: string;
  id: string;
}

/** What a list sorts by before its id: when each complaint was opened, or how many a guest made. */
export type CursorKind = 'instant' | 'count';

export const CURSOR_REFUSED = 'cursor is not a nextCursor from this list';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const POSTGRES_INT_MAX = 2_147_483_647;

// The parts go to Postgres as timestamptz, int and uuid: a part it cannot cast would fail the query.
const IS_SORT_VALUE: Record<CursorKind, (after: string) => boolean> = {
  // Exactly as `toISOString` wrote it, which also refuses what Date parses but Postgres does not.
  instant: (after) => {
    const at = new Date(after);
    return !Number.isNaN(at.getTime()) && at.toISOString() === after;
  },
  count: (after) => /^\d+$/.test(after) && Number(after) <= POSTGRES_INT_MAX,
};

export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.after}|${position.id}`).toString('base64url');
}

/** The position in a cursor of a list sorted by `kind`; null when it is not one such a list hands out. */
export function parseCursor(cursor: string, kind: CursorKind): Position | null {
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  if (parts.length !== 2) return null;
  const [after, id] = parts;
  return IS_SORT_VALUE[kind](after) && UUID.test(id) ? { after, id } : null;
}

/**
 * The list queries' DTOs refuse a bad cursor before this (a 400 naming `cursor`); this keeps any other
 * caller from sending Postgres one it cannot cast.
 * @throws ComplaintError INVALID_ARGUMENT when the cursor is not one a list sorted by `kind` hands out.
 */
export function decodeCursor(cursor: string, kind: CursorKind): Position {
  const position = parseCursor(cursor, kind);
  if (!position) {
    throw new ComplaintError(ComplaintErrorCode.INVALID_ARGUMENT, CURSOR_REFUSED, { field: 'cursor' });
  }
  return position;
}

/** Cuts one extra row fetched beyond `limit` into the page and the next cursor. */
export function pageOf<T>(rows: T[], limit: number, positionOf: (row: T) => Position): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
