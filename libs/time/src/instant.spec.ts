import { isReadableInstant } from './instant';

describe('isReadableInstant', () => {
  it.each([
    '2025-06-01',
    '2025-06',
    '2025',
    '2024-02-29',
    '2025-06-01T10:00Z',
    '2025-06-01T10:30:15.123Z',
    '2025-06-01T10:30:15.123456Z',
    '2025-06-01T10:30:15+02:00',
    '2025-06-01T10:30:15-0530',
    '2025-06-01T10:30:15z',
    '2025-06-01T24:00Z',
  ])('should accept %s, which a Date reads as written', (value) => {
    expect(isReadableInstant(value)).toBe(true);
    expect(Number.isNaN(new Date(value).getTime())).toBe(false);
  });

  it.each([
    ['a week date', '2025-W23', 'ISO-8601 that a Date cannot read'],
    ['a week date with its day', '2025-W23-1', 'ISO-8601 that a Date cannot read'],
    ['an ordinal date', '2025-152', 'ISO-8601 that a Date cannot read'],
    ['an hour without minutes', '2025-06-01T10', 'ISO-8601 that a Date cannot read'],
    ['an hour without minutes, in UTC', '2025-06-01T10Z', 'ISO-8601 that a Date cannot read'],
    ['the basic format', '20250601T1000Z', 'ISO-8601 that a Date cannot read'],
    ['a decimal comma', '2025-06-01T10:00:00,5Z', 'ISO-8601 that a Date cannot read'],
    ['an offset in hours only', '2025-06-01T10:00:00+02', 'ISO-8601 that a Date cannot read'],
    [
      'a time without an offset, read in the server’s time zone',
      '2025-06-01T10:00',
      'it names another instant on another host',
    ],
    ['seconds without an offset', '2025-06-01T10:30:15', 'it names another instant on another host'],
    ['30 February', '2025-02-30', 'a Date would roll over or refuse it'],
    ['29 February of a common year', '2025-02-29', 'a Date would roll over or refuse it'],
    ['31 June', '2025-06-31', 'a Date would roll over or refuse it'],
    ['a thirteenth month', '2025-13-01', 'a Date would roll over or refuse it'],
    ['a 61st second', '2025-06-01T10:00:60Z', 'a Date would roll over or refuse it'],
    ['past the end of the day', '2025-06-01T24:00:01Z', 'a Date would roll over or refuse it'],
    ['a signed year, read as 2025 without its sign', '-2025-06-01', 'a form it does not take'],
    ['a space for T, read by V8 as 2 January 2028', '0001-02-28 00:00', 'a form it does not take'],
    ['a time after a month alone', '2025-06T10:00', 'a form it does not take'],
    ['surrounding blanks', ' 2025-06-01', 'a form it does not take'],
    ['year 0, which Postgres does not have', '0000-01-01T00:00:00Z', 'outside the supported years'],
    ['a year before the supported ones', '1899-12-31', 'outside the supported years'],
    ['year 9999, whose windows reach year 10000', '9999-12-31T00:00:00Z', 'outside the supported years'],
  ])('should refuse %s (%s): %s', (_what, value) => {
    expect(isReadableInstant(value)).toBe(false);
  });

  it('should take the first and last supported years', () => {
    expect(isReadableInstant('1900-01-01T00:00:00Z')).toBe(true);
    expect(isReadableInstant('2199-12-31T23:59:59Z')).toBe(true);
  });

  it('should refuse anything but a string', () => {
    for (const value of [undefined, null, 1_748_736_000_000, new Date(), ['2025-06-01']]) {
      expect(isReadableInstant(value)).toBe(false);
    }
  });
});
