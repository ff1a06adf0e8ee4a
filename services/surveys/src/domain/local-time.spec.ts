import { addDays, localDateOf, localTimeToUtc } from './local-time';

describe('local time', () => {
  it('should find 10:00 in Shanghai at 02:00 UTC when the zone has no daylight saving', () => {
    expect(localTimeToUtc('2025-03-05', 10, 'Asia/Shanghai').toISOString()).toBe('2025-03-05T02:00:00.000Z');
  });

  it('should follow daylight saving when New York has moved its clocks', () => {
    expect(localTimeToUtc('2025-01-15', 10, 'America/New_York').toISOString()).toBe(
      '2025-01-15T15:00:00.000Z',
    );
    expect(localTimeToUtc('2025-07-15', 10, 'America/New_York').toISOString()).toBe(
      '2025-07-15T14:00:00.000Z',
    );
  });

  it('should give the local date when UTC is already on the next day', () => {
    expect(localDateOf(new Date('2025-03-05T23:30:00Z'), 'Asia/Tokyo')).toBe('2025-03-06');
    expect(localDateOf(new Date('2025-03-05T23:30:00Z'), 'Europe/London')).toBe('2025-03-05');
  });

  it('should cross month and year ends when adding days', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
  });
});
