import { isIsoInstant, isUuid, parseKeysetCursor } from '@loyalty/platform';

/**
 * Where a page of the alert list ended: the last alert's opening instant and its episode id, which orders
 * the alerts a scan opened at that one instant. To the millisecond, as a Date holds it: `opened_at` is only
 * ever written from one (the scan's clock), so no alert is opened between two milliseconds.
 */
export interface AlertPosition {
  readonly openedAt: string;
  readonly id: string;
}

export const ALERT_CURSOR_REFUSED = 'cursor is not a nextCursor from this list';

/** Every cursor's length: an instant as `toISOString` writes it, `|` and a uuid, in base64url. */
export const ALERT_CURSOR_LENGTH = 82;

export function alertPositionOf(alert: { readonly openedAt: Date; readonly id: string }): [string, string] {
  return [alert.openedAt.toISOString(), alert.id];
}

/**
 * The position in a cursor the alert list handed out; null for anything else (a cursor of another list,
 * or made up), which would otherwise reach Postgres as a value it cannot cast. The length is checked
 * first: decoding skips whatever is not base64url, so text of any length around a cursor would read as it.
 */
export function parseAlertCursor(cursor: string): AlertPosition | null {
  if (cursor.length !== ALERT_CURSOR_LENGTH) return null;
  const parts = parseKeysetCursor(cursor, [isIsoInstant, isUuid]);
  return parts && { openedAt: parts[0], id: parts[1] };
}
