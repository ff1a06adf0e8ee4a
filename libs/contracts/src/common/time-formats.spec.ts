import { isIanaTimeZone, isLocalDate, isUtcInstant } from './time-formats';

describe('isLocalDate', () => {
  it.each(['2025-03-01', '2024-02-29', '2000-02-29', '1999-12-31', '1900-01-01', '2199-12-31'])(
    'should accept %s',
    (value) => {
      expect(isLocalDate(value)).toBe(true);
    },
  );

  it.each([
    '2025-02-29',
    '1900-02-29',
    '2025-04-31',
    '2025-13-01',
    '2025-00-10',
    '2025-3-1',
    '2025-03-01T00:00:00Z',
    20250301,
    // Postgres has no year 0; windows and expiries worked out from 9999 would pass year 10000.
    '0000-01-01',
    '1899-12-31',
    '2200-01-01',
    '9999-12-31',
  ])('should reject %p', (value) => {
    expect(isLocalDate(value)).toBe(false);
  });
});

describe('isUtcInstant', () => {
  it.each(['2025-03-01T10:15:00Z', '2025-03-01T10:15:00.123Z', '2025-03-01T23:59:59.123456789Z'])(
    'should accept %s',
    (value) => {
      expect(isUtcInstant(value)).toBe(true);
    },
  );

  it.each([
    '2025-03-01T10:15:00+01:00',
    '2025-03-01T10:15:00',
    '2025-03-01 10:15:00Z',
    '2025-02-30T10:15:00Z',
    '2025-03-01T24:00:00Z',
    '2025-03-01T10:60:00Z',
    '2025-03-01',
    null,
    '0000-01-01T00:00:00Z',
    '2200-01-01T00:00:00Z',
  ])('should reject %p', (value) => {
    expect(isUtcInstant(value)).toBe(false);
  });
});

describe('isIanaTimeZone', () => {
  it.each(['Europe/Amsterdam', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/GMT+1', 'Europe/Kiev'])(
    'should accept %s',
    (value) => {
      expect(isIanaTimeZone(value)).toBe(true);
    },
  );

  it.each(['Europe/Atlantis', '+01:00', 'CET ', '', 'Mars/Olympus_Mons', 42])('should reject %p', (value) => {
    expect(isIanaTimeZone(value)).toBe(false);
  });

  // ICU takes them (IST as India, AET as Sydney); Postgres reads IST as Israel and does not know AET.
  it.each(['IST', 'AET', 'BST', 'CTT', 'EST'])(
    'should reject %s, a name without an area that Postgres reads otherwise or not at all',
    (value) => {
      expect(isIanaTimeZone(value)).toBe(false);
    },
  );

  it('should accept GMT and an alias with an area', () => {
    expect(isIanaTimeZone('GMT')).toBe(true);
    expect(isIanaTimeZone('US/Eastern')).toBe(true);
  });
});
