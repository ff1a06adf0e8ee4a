import { timeOrderedUuid } from './event-id';

const MILLISECOND = Date.UTC(2026, 11, 7, 1, 50, 12, 345);

describe('timeOrderedUuid', () => {
  it('should be a version-7 UUID of the RFC 9562 variant whose first 48 bits are the millisecond', () => {
    const id = timeOrderedUuid(MILLISECOND);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(MILLISECOND);
  });

  it('should sort ids of later milliseconds after earlier ones, as text as well as by bytes', () => {
    const ids = [0, 1, 255, 256, 65_536, 86_400_000].map((offset) => timeOrderedUuid(MILLISECOND + offset));
    expect([...ids].sort()).toEqual(ids);
  });

  it('should differ within one millisecond, across refills of its random pool', () => {
    const ids = new Set(Array.from({ length: 2_000 }, () => timeOrderedUuid(MILLISECOND)));
    expect(ids.size).toBe(2_000);
  });
});
