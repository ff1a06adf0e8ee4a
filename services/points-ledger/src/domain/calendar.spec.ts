import {
  addMonths,
  endOfYear,
  nightsBetween,
  parseLocalDate,
  qualifyingYearAt,
  qualifyingYearOf,
} from './calendar';

describe('calendar', () => {
  it('should clamp to the last day of the month when adding months to a 31st', () => {
    expect(addMonths(new Date('2026-01-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonths(new Date('2028-01-31T10:00:00Z'), 1).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(addMonths(new Date('2026-03-15T00:00:00Z'), 24).toISOString()).toBe('2028-03-15T00:00:00.000Z');
    expect(addMonths(new Date('2026-03-31T00:00:00Z'), -1).toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });

  it('should end a year at its last millisecond when asked for the end of the year', () => {
    expect(endOfYear(2026).toISOString()).toBe('2026-12-31T23:59:59.999Z');
  });

  it('should count nights when given arrival and departure dates', () => {
    expect(nightsBetween('2026-03-28', '2026-04-02')).toBe(5);
    expect(nightsBetween('2026-12-31', '2027-01-01')).toBe(1);
  });

  it('should count a stay in the year of its local departure date whenever it is credited', () => {
    expect(qualifyingYearOf('2026-12-31')).toBe(2026);
    expect(qualifyingYearOf('2027-01-01')).toBe(2027);
  });

  it('should take this year from the local date where the stay would depart, not from UTC, around New Year', () => {
    // 20:00 UTC on 31 December is 05:00 on 1 January in Tokyo.
    expect(qualifyingYearAt(new Date('2025-12-31T20:00:00Z'), 'Asia/Tokyo')).toBe(2026);
    expect(qualifyingYearAt(new Date('2025-12-31T20:00:00Z'), 'UTC')).toBe(2025);
    // 06:00 UTC on 1 January is 20:00 on 31 December in Honolulu.
    expect(qualifyingYearAt(new Date('2026-01-01T06:00:00Z'), 'Pacific/Honolulu')).toBe(2025);
    expect(qualifyingYearAt(new Date('2026-01-01T06:00:00Z'), 'UTC')).toBe(2026);
  });

  it('should refuse a date when it does not exist or is malformed', () => {
    expect(() => parseLocalDate('2026-02-30')).toThrow('not a YYYY-MM-DD date');
    expect(() => parseLocalDate('2026-2-3')).toThrow('not a YYYY-MM-DD date');
  });
});
