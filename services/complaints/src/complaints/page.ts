import {
  isIsoInstant,
  isPostgresInt,
  isUuid,
  parseKeysetCursor,
  type CursorPartCheck,
} from '@loyalty/platform';
import { ComplaintError, ComplaintErrorCode } from '../domain';

/** Keyset position: the sort value (an instant or a count, as text) and id of the previous page's last item. */
export interface Position {
  after: string;
  id: string;
}

/** What a list sorts by before its id: when each complaint was opened, or how many a guest made. */
export type CursorKind = 'instant' | 'count';

export const CURSOR_REFUSED = 'cursor is not a nextCursor from this list';

// The sort value goes to Postgres as timestamptz or int, the id as uuid.
const IS_SORT_VALUE: Record<CursorKind, CursorPartCheck> = { instant: isIsoInstant, count: isPostgresInt };

/** The position in a cursor of a list sorted by `kind`; null when it is not one such a list hands out. */
export function parseCursor(cursor: string, kind: CursorKind): Position | null {
  const parts = parseKeysetCursor(cursor, [IS_SORT_VALUE[kind], isUuid]);
  return parts && { after: parts[0], id: parts[1] };
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
