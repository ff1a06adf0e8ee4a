import {
  isIsoInstant,
  isPostgresBigint,
  isPostgresInt,
  isUuid,
  parseKeysetCursor,
  type CursorPartCheck,
} from '@loyalty/platform';
import { ComplaintError, ComplaintErrorCode } from '../domain';

/**
 * What a list sorts by: when each complaint was opened, or how many a guest made, then the id (a uuid); or
 * the order its rows were written in (a bigserial), alone. A count moves as complaints are opened, so a
 * ranking by count also carries the instant it was counted as of, which every page of it counts up to.
 */
export type CursorKind = 'instant' | 'count' | 'sequence';

// The sort value goes to Postgres as timestamptz, int or bigint, the id as uuid.
const PARTS = {
  instant: [isIsoInstant, isUuid],
  count: [isPostgresInt, isUuid, isIsoInstant],
  sequence: [isPostgresBigint],
} as const satisfies Record<CursorKind, readonly CursorPartCheck[]>;

type AsText<Parts extends readonly CursorPartCheck[]> = { readonly [I in keyof Parts]: string };

/**
 * Keyset position of the previous page's last item, as text: its sort value and id (and, of a count, the
 * instant counted as of), or its sequence.
 */
export type Position<Kind extends CursorKind> = AsText<(typeof PARTS)[Kind]>;

export const CURSOR_REFUSED = 'cursor is not a nextCursor from this list';

/** The position in a cursor of a list sorted by `kind`; null when it is not one such a list hands out. */
export function parseCursor<Kind extends CursorKind>(cursor: string, kind: Kind): Position<Kind> | null {
  return parseKeysetCursor(cursor, PARTS[kind]);
}

/**
 * The list queries' DTOs refuse a bad cursor before this (a 400 naming `cursor`); this keeps any other
 * caller from sending Postgres one it cannot cast.
 * @throws ComplaintError INVALID_ARGUMENT when the cursor is not one a list sorted by `kind` hands out.
 */
export function decodeCursor<Kind extends CursorKind>(cursor: string, kind: Kind): Position<Kind> {
  const position = parseCursor(cursor, kind);
  if (!position) {
    throw new ComplaintError(ComplaintErrorCode.INVALID_ARGUMENT, CURSOR_REFUSED, { field: 'cursor' });
  }
  return position;
}
