import { encodeKeysetCursor } from '@loyalty/platform';
import { parseAccessLogCursor } from './access-log-page';

const encodeAccessLogCursor = (lastId: string) => encodeKeysetCursor([lastId]);

describe('access log cursor', () => {
  it('should give back the id of the row it was made from', () => {
    expect(parseAccessLogCursor(encodeAccessLogCursor('42'))).toBe('42');
    expect(parseAccessLogCursor(encodeAccessLogCursor('9223372036854775807'))).toBe('9223372036854775807');
  });

  it('should refuse a cursor Postgres could not read as a row id', () => {
    for (const id of ['', '0', '-1', '1.5', 'abc', '9223372036854775808', '01'])
      expect(parseAccessLogCursor(encodeAccessLogCursor(id))).toBeNull();
    expect(parseAccessLogCursor('not-a-cursor')).toBeNull();
  });
});
