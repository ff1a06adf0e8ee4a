import { encodeKeysetCursor } from '@loyalty/platform';
import { ALERT_CURSOR_LENGTH, alertPositionOf, parseAlertCursor } from './alert-cursor';

describe('alert list cursors', () => {
  const id = '6f1d1c2e-8d1a-4b7e-9a51-2b8e6a0c4d11';
  const openedAt = new Date('2031-04-28T03:00:00.123Z');
  const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

  it('should read back the position of the alert it was made from', () => {
    const cursor = encodeKeysetCursor(alertPositionOf({ openedAt, id }));
    expect(cursor).toHaveLength(ALERT_CURSOR_LENGTH);
    expect(parseAlertCursor(cursor)).toEqual({ openedAt: '2031-04-28T03:00:00.123Z', id });
  });

  it('should refuse what Postgres could not cast, a cursor of another list, and text that is no cursor', () => {
    for (const cursor of [
      'nonsense',
      cursorOf(`2031-02-30T03:00:00.000Z|${id}`),
      cursorOf(`0000-01-01T00:00:00.000Z|${id}`),
      cursorOf(`2031-04-28T03:00:00Z|${id}`),
      cursorOf('2031-04-28T03:00:00.000Z|42'),
      cursorOf(`2031-04-28T03:00:00.000Z|${id}|x`),
      // A complaints ranking's: a count, a guest id and the instant it counted as of.
      cursorOf(`3|${id}|2031-04-28T03:00:00.000Z`),
    ])
      expect(parseAlertCursor(cursor)).toBeNull();
  });

  // Node's base64url decoding skips what is not base64url: padded out, a cursor reads as the one it was.
  it('should refuse a cursor longer than any it hands out, whatever it decodes to', () => {
    const cursor = encodeKeysetCursor(alertPositionOf({ openedAt, id }));
    for (const padded of [`${cursor}==`, `${cursor}${'.'.repeat(1_000_000)}`])
      expect(parseAlertCursor(padded)).toBeNull();
  });
});
