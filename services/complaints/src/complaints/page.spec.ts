import { decodeCursor, encodeCursor, pageOf } from './page';

describe('pagination', () => {
  const rows = [1, 2, 3].map((n) => ({ id: `c${n}`, after: new Date(Date.UTC(2026, 0, n)).toISOString() }));

  it('should give a cursor to the next page only when there is one', () => {
    const first = pageOf(rows, 2, (row) => row);
    expect(first.items).toHaveLength(2);
    expect(decodeCursor(first.nextCursor ?? '')).toEqual(rows[1]);
    expect(pageOf(rows, 3, (row) => row).nextCursor).toBeNull();
  });

  it('should refuse a cursor it did not hand out', () => {
    expect(() => decodeCursor('nonsense')).toThrow('cursor is not a nextCursor from this list');
    expect(decodeCursor(encodeCursor(rows[0]))).toEqual(rows[0]);
  });
});
