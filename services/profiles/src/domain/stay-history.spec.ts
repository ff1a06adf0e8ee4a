import { summariseStays } from './stay-history';

/** A stay whose revenue is 1.00 a night. */
const stay = (propertyId: string, arrival: string, departure: string, nights: number) => ({
  propertyId,
  arrival,
  departure,
  nights,
  programRevenueMinor: 100 * nights,
});

describe('summariseStays', () => {
  it('should roll up stays, nights, revenue, first and last stay, interval and favourite property', () => {
    expect(
      summariseStays([
        stay('AMS01', '2025-03-01', '2025-03-04', 3),
        stay('LON02', '2025-01-01', '2025-01-02', 1),
        stay('AMS01', '2025-05-01', '2025-05-02', 1),
      ]),
    ).toEqual({
      stays: 3,
      nights: 5,
      revenueMinor: 500,
      firstStay: '2025-01-01',
      lastStay: '2025-05-02',
      averageIntervalDays: 60,
      favouriteProperty: 'AMS01',
    });
  });

  it('should count a stay corrected to 0 nights as no visit, but what was paid for it', () => {
    // A no-show billed in June at another property, after a January stay.
    expect(
      summariseStays([
        stay('AMS01', '2025-01-10', '2025-01-12', 2),
        { ...stay('LON02', '2025-06-01', '2025-06-03', 0), programRevenueMinor: 10_000 },
      ]),
    ).toEqual({
      stays: 1,
      nights: 2,
      revenueMinor: 10_200,
      firstStay: '2025-01-10',
      lastStay: '2025-01-12',
      favouriteProperty: 'AMS01',
    });
  });

  it('should end the history at the latest departure, not at the last arrival', () => {
    const stay = (arrival: string, departure: string) => ({
      propertyId: 'AMS01',
      arrival,
      departure,
      nights: 1,
      programRevenueMinor: 0,
    });
    // A long stay overlapping a short one that arrived later; and two rooms arriving on one day.
    expect(
      summariseStays([stay('2025-03-01', '2025-03-20'), stay('2025-03-05', '2025-03-06')]).lastStay,
    ).toBe('2025-03-20');
    expect(
      summariseStays([stay('2025-03-01', '2025-03-05'), stay('2025-03-01', '2025-03-03')]).lastStay,
    ).toBe('2025-03-05');
  });

  it('should have no interval or favourite without stays', () => {
    expect(summariseStays([])).toEqual({
      stays: 0,
      nights: 0,
      revenueMinor: 0,
      firstStay: undefined,
      lastStay: undefined,
      averageIntervalDays: undefined,
      favouriteProperty: undefined,
    });
  });
});
