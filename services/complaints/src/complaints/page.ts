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

export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.after}|${position.id}`).toString('base64url');
}

/** @throws ComplaintError INVALID_ARGUMENT when the cursor is not one this service handed out. */
export function decodeCursor(cursor: string): Position {
  const [after, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!after || !id) {
    throw new ComplaintError(
      ComplaintErrorCode.INVALID_ARGUMENT,
      'cursor is not a nextCursor from this list',
      {
        field: 'cursor',
      },
    );
  }
  return { after, id };
}

/** Cuts one extra row fetched beyond `limit` into the page and the next cursor. */
export function pageOf<T>(rows: T[], limit: number, positionOf: (row: T) => Position): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
