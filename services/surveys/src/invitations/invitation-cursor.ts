import { isReadableInstant } from '@loyalty/time';

/**
 * Where a page of the invitation list ended: the last invitation's sort instant (`coalesce(invited_at,
 * due_at)`) and its survey id, which makes the position unique among invitations of the same instant.
 */
export interface InvitationPosition {
  /** UTC to the microsecond, as Postgres keeps it: a Date's milliseconds would skip rows of the same one. */
  sortedAt: string;
  surveyId: string;
}

export const CURSOR_REFUSED = 'cursor is not a Next-Cursor of this list';

/** Every cursor's length: an instant of fixed width, `|` and a uuid, in base64url. */
export const INVITATION_CURSOR_LENGTH = 86;

/** As `to_char(…, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` writes it (Postgres has no year 0). */
const SORTED_AT = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Both parts reach Postgres as timestamptz and uuid: one it cannot cast would fail the query with a 500.
// The shape alone would let a February 30th through.
function isSortedAt(text: string): boolean {
  return SORTED_AT.test(text) && isReadableInstant(text);
}

export function encodeInvitationCursor(position: InvitationPosition): string {
  return Buffer.from(`${position.sortedAt}|${position.surveyId}`).toString('base64url');
}

/** The position in a cursor the invitation list handed out; null for anything else. */
export function parseInvitationCursor(cursor: string): InvitationPosition | null {
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  if (parts.length !== 2) return null;
  const [sortedAt, surveyId] = parts;
  return isSortedAt(sortedAt) && UUID.test(surveyId) ? { sortedAt, surveyId } : null;
}
