import { latestNightsPerStay, nightsPostingOf, postedAfter, type NightsPosting } from './nights-posting';
import type { StayAdjustedV2 } from './stay-adjusted.v2';

const posting = (overrides: Partial<NightsPosting> = {}): NightsPosting => ({
  propertyId: 'AMS01',
  reservationId: 'R-1',
  adjustmentKey: 'AMS01/ADJ-1',
  nights: 0,
  adjustedAt: '2031-03-06T14:00:00Z',
  ...overrides,
});

describe('nightsPostingOf', () => {
  const adjustment = {
    propertyId: 'AMS01',
    reservationId: 'R-1',
    adjustmentId: 'ADJ-7',
    adjustedAt: '2031-03-06T14:00:00Z',
  } as StayAdjustedV2;

  it("should name the adjustment by its property, as ids are unique only within a property's system", () => {
    expect(nightsPostingOf({ ...adjustment, nights: 0 })).toEqual(
      posting({ adjustmentKey: 'AMS01/ADJ-7', nights: 0 }),
    );
  });

  it('should post nothing for an adjustment that leaves the nights as they were', () => {
    expect(nightsPostingOf(adjustment)).toBeUndefined();
  });
});

describe('postedAfter', () => {
  it('should compare instants to the microsecond, as the stores keep them, not only to the millisecond', () => {
    const zero = posting({ adjustmentKey: 'AMS01/A-1', nights: 0, adjustedAt: '2025-06-01T10:00:00.0009Z' });
    const two = posting({ adjustmentKey: 'AMS01/B-1', nights: 2, adjustedAt: '2025-06-01T10:00:00.0001Z' });
    expect(postedAfter(zero, two)).toBe(true);
    expect(postedAfter(two, zero)).toBe(false);
    expect(latestNightsPerStay([zero, two])).toEqual([zero]);
    expect(latestNightsPerStay([two, zero])).toEqual([zero]);
  });

  it('should order by key two postings Postgres keeps at the same microsecond', () => {
    const first = posting({ adjustmentKey: 'AMS01/A-1', adjustedAt: '2025-06-01T10:00:00.123456789Z' });
    const second = posting({ adjustmentKey: 'AMS01/B-1', adjustedAt: '2025-06-01T10:00:00.1234571Z' });
    expect(postedAfter(second, first)).toBe(true);
    expect(postedAfter(first, second)).toBe(false);
    const later = posting({ adjustmentKey: 'AMS01/A-1', adjustedAt: '2025-06-01T10:00:00.1234576Z' });
    expect(postedAfter(later, second)).toBe(true);
  });

  it('should compare instants, not their text, whatever the zone they name it in', () => {
    // 15:00 at +02:00 is 13:00 UTC, before 13:30 UTC, though its text sorts after it.
    const earlier = posting({ adjustedAt: '2031-03-06T15:00:00+02:00' });
    const later = posting({ adjustedAt: '2031-03-06T13:30:00Z' });
    expect(postedAfter(later, earlier)).toBe(true);
    expect(postedAfter(earlier, later)).toBe(false);
  });

  it('should order two posted at the same instant by adjustment key, so arrival order does not matter', () => {
    const [a, b] = [
      posting({ adjustmentKey: 'AMS01/ADJ-1' }),
      posting({ adjustmentKey: 'AMS01/ADJ-2', adjustedAt: '2031-03-06T14:00:00.000Z' }),
    ];
    expect(postedAfter(b, a)).toBe(true);
    expect(postedAfter(a, b)).toBe(false);
  });
});

describe('latestNightsPerStay', () => {
  it('should keep the latest posted of each stay, in whatever order a run brings them', () => {
    const first = posting({ nights: 0, adjustedAt: '2031-03-06T14:00:00Z' });
    const second = posting({ nights: 2, adjustmentKey: 'AMS01/ADJ-2', adjustedAt: '2031-03-07T09:00:00Z' });
    const other = posting({ reservationId: 'R-2', nights: 1 });
    expect(latestNightsPerStay([second, other, first])).toEqual([second, other]);
    expect(latestNightsPerStay([first, other, second])).toEqual([second, other]);
  });

  it('should tell apart stays of two properties with the same reservation id', () => {
    const [ams, rot] = [posting(), posting({ propertyId: 'ROT01', adjustmentKey: 'ROT01/ADJ-1' })];
    expect(latestNightsPerStay([ams, rot])).toEqual([ams, rot]);
  });
});
