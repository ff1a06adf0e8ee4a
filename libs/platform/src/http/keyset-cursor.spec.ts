import { randomUUID } from 'node:crypto';
import {
  encodeKeysetCursor,
  isIsoInstant,
  isPostgresBigint,
  isPostgresInt,
  isUuid,
  pageOf,
  parseKeysetCursor,
} from './keyset-cursor';

describe('keyset cursors', () => {
  const rows = [1, 2, 3].map((n) => ({
    id: randomUUID(),
    after: new Date(Date.UTC(2026, 0, n)).toISOString(),
  }));
  const positionOf = (row: { after: string; id: string }) => [row.after, row.id];
  const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

  it('should give a cursor to the next page only when there is one', () => {
    const first = pageOf(rows, 2, positionOf);
    expect(first.items).toEqual(rows.slice(0, 2));
    expect(parseKeysetCursor(first.nextCursor ?? '', [isIsoInstant, isUuid])).toEqual(positionOf(rows[1]));
    expect(pageOf(rows, 3, positionOf)).toEqual({ items: rows, nextCursor: null });
    expect(pageOf([], 3, positionOf)).toEqual({ items: [], nextCursor: null });
  });

  it('should write the parts joined with `|` in base64url, as cursors already handed out are', () => {
    expect(encodeKeysetCursor(positionOf(rows[0]))).toBe(cursorOf(`${rows[0].after}|${rows[0].id}`));
    expect(encodeKeysetCursor(['42'])).toBe(cursorOf('42'));
  });

  it('should refuse a cursor it did not hand out', () => {
    expect(parseKeysetCursor('nonsense', [isIsoInstant, isUuid])).toBeNull();
    expect(parseKeysetCursor(encodeKeysetCursor(positionOf(rows[0])), [isIsoInstant, isUuid])).toEqual(
      positionOf(rows[0]),
    );
  });

  it('should refuse a cursor with another number of parts, or a part that fails its check', () => {
    const id = randomUUID();
    expect(parseKeysetCursor(cursorOf(`3|${id}`), [isPostgresInt, isUuid])).toEqual(['3', id]);
    for (const cursor of [cursorOf(`3|${id}|x`), cursorOf('3'), cursorOf(`3|${id}|`), cursorOf(`x|${id}`)])
      expect(parseKeysetCursor(cursor, [isPostgresInt, isUuid])).toBeNull();
    expect(parseKeysetCursor(cursorOf('42'), [isPostgresBigint])).toEqual(['42']);
    expect(parseKeysetCursor(cursorOf('4|2'), [isPostgresBigint])).toBeNull();
  });

  it('should take only an instant as toISOString writes it, in a year Postgres reads', () => {
    expect(isIsoInstant('2026-01-01T00:00:00.000Z')).toBe(true);
    expect(isIsoInstant('0001-01-01T00:00:00.000Z')).toBe(true);
    for (const text of [
      'x',
      '3',
      '2026-01-01',
      '2026-02-30T00:00:00.000Z',
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00.000+00:00',
      '0000-01-01T00:00:00.000Z',
      '+010000-01-01T00:00:00.000Z',
      '-000001-01-01T00:00:00.000Z',
    ])
      expect(isIsoInstant(text)).toBe(false);
  });

  it('should take only a uuid', () => {
    expect(isUuid('6F1D1C2E-8D1A-4B7E-9A51-2B8E6A0C4D11')).toBe(true);
    for (const text of ['42', 'y', '6f1d1c2e8d1a4b7e9a512b8e6a0c4d11', '6f1d1c2e-8d1a-4b7e-9a51-2b8e6a0c4d1'])
      expect(isUuid(text)).toBe(false);
  });

  it('should take only a whole number as String(n) writes it, within Postgres’s int or bigint', () => {
    for (const text of ['0', '3', '2147483647']) expect(isPostgresInt(text)).toBe(true);
    for (const text of ['', '3.5', '-3', '+3', '03', '2147483648', '1e3', 'abc'])
      expect(isPostgresInt(text)).toBe(false);
    for (const text of ['0', '42', '9223372036854775807']) expect(isPostgresBigint(text)).toBe(true);
    for (const text of ['', '-1', '1.5', 'abc', '01', '9223372036854775808'])
      expect(isPostgresBigint(text)).toBe(false);
  });
});
