import { randomUUID } from 'node:crypto';
import { decodeCursor, encodeCursor, pageOf, parseCursor } from './page';

describe('pagination', () => {
  const rows = [1, 2, 3].map((n) => ({
    id: randomUUID(),
    after: new Date(Date.UTC(2026, 0, n)).toISOString(),
  }));
  const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

  it('should give a cursor to the next page only when there is one', () => {
    const first = pageOf(rows, 2, (row) => row);
    expect(first.items).toHaveLength(2);
    expect(decodeCursor(first.nextCursor ?? '', 'instant')).toEqual(rows[1]);
    expect(pageOf(rows, 3, (row) => row).nextCursor).toBeNull();
  });

  it('should refuse a cursor it did not hand out', () => {
    expect(() => decodeCursor('nonsense', 'instant')).toThrow('cursor is not a nextCursor from this list');
    expect(decodeCursor(encodeCursor(rows[0]), 'instant')).toEqual(rows[0]);
  });

  it('should take only parts Postgres can cast: an instant or a whole count, and a uuid', () => {
    const id = randomUUID();
    expect(parseCursor(encodeCursor({ after: '3', id }), 'count')).toEqual({ after: '3', id });
    for (const [cursor, kind] of [
      [cursorOf('x|y'), 'instant'],
      [cursorOf(`3|${id}`), 'instant'],
      [cursorOf(`2026-01-01|${id}`), 'instant'],
      [cursorOf(`2026-02-30T00:00:00.000Z|${id}`), 'instant'],
      [cursorOf('2026-01-01T00:00:00.000Z|42'), 'instant'],
      [cursorOf(`2026-01-01T00:00:00.000Z|${id}|x`), 'instant'],
      [cursorOf(`2026-01-01T00:00:00.000Z|${id}`), 'count'],
      [cursorOf(`3.5|${id}`), 'count'],
      [cursorOf(`-3|${id}`), 'count'],
      [cursorOf(`2147483648|${id}`), 'count'],
      [cursorOf('3|y'), 'count'],
    ] as const) {
      expect(parseCursor(cursor, kind)).toBeNull();
    }
  });
});
