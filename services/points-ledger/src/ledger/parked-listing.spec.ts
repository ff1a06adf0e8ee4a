import { parseKeysetCursor } from '@loyalty/platform';
import { FIRST_POSITION, settledPage } from './parked-listing';

const row = (position: string, settled = true) => ({ position, settled });
const positionOf = (listed: { position: string }) => [listed.position, '1'];
const resumesAfter = (cursor: string | null) =>
  cursor === null ? null : parseKeysetCursor(cursor, [() => true, () => true])?.[0];

describe('a page of parked adjustments short of the listing horizon', () => {
  it('should end the list when every row read fits the page', () => {
    const page = settledPage([row('10'), row('20')], 2, FIRST_POSITION, positionOf);
    expect(page.items.map(({ position }) => position)).toEqual(['10', '20']);
    expect(page.nextCursor).toBeNull();
  });

  it('should go on after the last row listed when a row was read beyond the limit', () => {
    const page = settledPage([row('10'), row('20'), row('30')], 2, FIRST_POSITION, positionOf);
    expect(page.items.map(({ position }) => position)).toEqual(['10', '20']);
    expect(resumesAfter(page.nextCursor)).toBe('20');
  });

  it('should stop at the first row past the horizon and come back for it, even with room left', () => {
    const page = settledPage([row('10'), row('20', false), row('30')], 5, FIRST_POSITION, positionOf);
    expect(page.items.map(({ position }) => position)).toEqual(['10']);
    expect(resumesAfter(page.nextCursor)).toBe('10');
  });

  it('should answer an empty page that resumes where it was asked from while nothing is settled', () => {
    const page = settledPage([row('30', false)], 5, ['20', '4'], positionOf);
    expect(page.items).toEqual([]);
    expect(resumesAfter(page.nextCursor)).toBe('20');
  });

  it('should end the list when nothing was read', () => {
    expect(settledPage([], 5, ['20', '4'], positionOf)).toEqual({ items: [], nextCursor: null });
  });
});
