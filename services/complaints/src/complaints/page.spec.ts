import { randomUUID } from 'node:crypto';
import { encodeKeysetCursor } from '@loyalty/platform';
import { decodeCursor, parseCursor } from './page';

describe('pagination', () => {
  const position = [new Date(Date.UTC(2026, 0, 1)).toISOString(), randomUUID()];
  const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

  // Cutting a page and writing its next cursor is the platform's `pageOf` (see keyset-cursor.spec.ts).
  it('should refuse a cursor it did not hand out', () => {
    expect(() => decodeCursor('nonsense', 'instant')).toThrow('cursor is not a nextCursor from this list');
    expect(decodeCursor(encodeKeysetCursor(position), 'instant')).toEqual(position);
  });

  it('should take only parts Postgres can cast: an instant or a whole count, and a uuid (a count with its instant); or a sequence', () => {
    const id = randomUUID();
    const asOf = '2026-01-01T00:00:00.000Z';
    expect(parseCursor(encodeKeysetCursor(['3', id, asOf]), 'count')).toEqual(['3', id, asOf]);
    expect(parseCursor(encodeKeysetCursor(['9007199254740993']), 'sequence')).toEqual(['9007199254740993']);
    for (const [cursor, kind] of [
      [cursorOf('x|y'), 'instant'],
      [cursorOf(`3|${id}`), 'instant'],
      [cursorOf(`2026-01-01|${id}`), 'instant'],
      [cursorOf(`2026-02-30T00:00:00.000Z|${id}`), 'instant'],
      [cursorOf('2026-01-01T00:00:00.000Z|42'), 'instant'],
      [cursorOf(`2026-01-01T00:00:00.000Z|${id}|x`), 'instant'],
      [cursorOf(`2026-01-01T00:00:00.000Z|${id}|${asOf}`), 'count'],
      [cursorOf(`3.5|${id}|${asOf}`), 'count'],
      [cursorOf(`-3|${id}|${asOf}`), 'count'],
      [cursorOf(`2147483648|${id}|${asOf}`), 'count'],
      [cursorOf(`3|y|${asOf}`), 'count'],
      [cursorOf(`3|${id}`), 'count'],
      [cursorOf(`3|${id}|2026-02-30T00:00:00.000Z`), 'count'],
      [cursorOf(`3|${id}`), 'sequence'],
      [cursorOf('-3'), 'sequence'],
      [cursorOf('9223372036854775808'), 'sequence'],
    ] as const) {
      expect(parseCursor(cursor, kind)).toBeNull();
    }
  });
});
