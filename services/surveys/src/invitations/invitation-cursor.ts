import { isUuid, parseKeysetCursor } from '@loyalty/platform';
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

// Goes to Postgres as a timestamptz: one it cannot cast would fail the query with a 500. The shape alone
// would let a February 30th through.
function isSortedAt(text: string): boolean {
  return SORTED_AT.test(text) && isReadableInstant(text);
}

/** The position in a cursor the invitation list handed out; null for anything else. */
export function parseInvitationCursor(cursor: string): InvitationPosition | null {
  const parts = parseKeysetCursor(cursor, [isSortedAt, isUuid]);
  return parts && { sortedAt: parts[0], surveyId: parts[1] };
}
