import { addDays, localTimeToUtc } from './local-time';

describe('localTimeToUtc', () => {
  it('should give 02:00 UTC for 11:00 in Tokyo', () => {
    expect(localTimeToUtc('2026-03-10', 11, 0, 'Asia/Tokyo').toISOString()).toBe('2026-03-10T02:00:00.000Z');
  });

  it('should follow daylight saving in Paris when the clocks change', () => {
    expect(localTimeToUtc('2026-03-28', 11, 0, 'Europe/Paris').toISOString()).toBe(
      '2026-03-28T10:00:00.000Z',
    );
    expect(localTimeToUtc('2026-03-30', 11, 0, 'Europe/Paris').toISOString()).toBe(
      '2026-03-30T09:00:00.000Z',
    );
  });

  it('should go back in New York across the date line of UTC', () => {
    expect(localTimeToUtc('2026-01-15', 23, 30, 'America/New_York').toISOString()).toBe(
      '2026-01-16T04:30:00.000Z',
    );
  });
});

describe('addDays', () => {
  it('should cross month and leap-year ends', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
