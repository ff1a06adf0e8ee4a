import { isUuid, parseKeysetCursor } from '@loyalty/platform';
import { isReadableInstant } from '@loyalty/time';

/**
 * The review queue is read strongest suggestion first, keyset-paginated on (score descending, created_at, id):
 * a page starts after the last suggestion of the previous one, so a suggestion decided (or withdrawn) while
 * staff work through the queue shifts no other one past a page boundary, as an offset did.
 */
export interface ReviewQueuePosition {
  /** As Postgres writes a `numeric(4, 3)`: `0.600`. */
  score: string;
  /** UTC to the microsecond, as Postgres keeps it: a Date's milliseconds would skip suggestions of one batch. */
  createdAt: string;
  id: string;
}

export const REVIEW_QUEUE_CURSOR_REFUSED = 'cursor is not a nextCursor of the review queue';

const SCORE = /^\d\.\d{3}$/;
/** As `to_char(…, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` writes it (Postgres has no year 0). */
const CREATED_AT = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

// Each part goes to Postgres as numeric, timestamptz or uuid: one it cannot cast would fail the query with a
// 500. The shape alone would let a February 30th through.
const isScore = (part: string) => SCORE.test(part);
const isCreatedAt = (part: string) => CREATED_AT.test(part) && isReadableInstant(part);

/** The position in a cursor the review queue handed out; null for anything else. */
export function parseReviewQueueCursor(cursor: string): ReviewQueuePosition | null {
  const parts = parseKeysetCursor(cursor, [isScore, isCreatedAt, isUuid]);
  return parts && { score: parts[0], createdAt: parts[1], id: parts[2] };
}
