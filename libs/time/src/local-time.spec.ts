import { addDays, localDateOf, localTimeToUtc } from './local-time';

const utc = (localDate: string, hour: number, minute: number, timeZone: string) =>
  localTimeToUtc(localDate, hour, minute, timeZone).toISOString();

describe('localTimeToUtc', () => {
  it('should give 02:00 UTC for 11:00 in Tokyo', () => {
    expect(utc('2026-03-10', 11, 0, 'Asia/Tokyo')).toBe('2026-03-10T02:00:00.000Z');
  });

  it('should give 02:00 UTC for 10:00 in Shanghai when the zone has no daylight saving', () => {
    expect(utc('2025-03-05', 10, 0, 'Asia/Shanghai')).toBe('2025-03-05T02:00:00.000Z');
  });

  it('should follow daylight saving in Paris when the clocks change', () => {
    expect(utc('2026-03-28', 11, 0, 'Europe/Paris')).toBe('2026-03-28T10:00:00.000Z');
    expect(utc('2026-03-30', 11, 0, 'Europe/Paris')).toBe('2026-03-30T09:00:00.000Z');
  });

  it('should follow daylight saving when New York has moved its clocks', () => {
    expect(utc('2025-01-15', 10, 0, 'America/New_York')).toBe('2025-01-15T15:00:00.000Z');
    expect(utc('2025-07-15', 10, 0, 'America/New_York')).toBe('2025-07-15T14:00:00.000Z');
  });

  it('should use the new offset on the day of a change when the time is after it', () => {
    expect(utc('2026-03-29', 9, 0, 'Europe/Amsterdam')).toBe('2026-03-29T07:00:00.000Z');
    expect(utc('2026-10-25', 9, 0, 'Europe/Amsterdam')).toBe('2026-10-25T08:00:00.000Z');
  });

  it('should move a time skipped by the spring jump forward by the jump', () => {
    // 02:30 does not happen in Paris on 29 March 2026: the clocks go from 02:00 to 03:00.
    expect(utc('2026-03-29', 2, 30, 'Europe/Paris')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('should give the later instant when the autumn change repeats a time', () => {
    // 02:30 happens twice in Paris on 25 October 2026, first in summer time, then in winter time.
    expect(utc('2026-10-25', 2, 30, 'Europe/Paris')).toBe('2026-10-25T01:30:00.000Z');
  });

  it('should move a skipped time forward and give a repeated one its later instant west of UTC too', () => {
    // New York: 02:30 skipped on 8 March 2026 (EST to EDT), 01:30 repeated on 1 November (EDT, then EST).
    expect(utc('2026-03-08', 2, 30, 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
    expect(utc('2026-11-01', 1, 30, 'America/New_York')).toBe('2026-11-01T06:30:00.000Z');
    // Santiago skips midnight on 6 September 2026: the day starts at 01:00, on that date.
    const midnight = localTimeToUtc('2026-09-06', 0, 0, 'America/Santiago');
    expect(midnight.toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(localDateOf(midnight, 'America/Santiago')).toBe('2026-09-06');
  });

  it('should go back in New York across the date line of UTC', () => {
    expect(utc('2026-01-15', 23, 30, 'America/New_York')).toBe('2026-01-16T04:30:00.000Z');
  });
});

describe('localDateOf', () => {
  it('should give the local date when UTC is already on the next day', () => {
    expect(localDateOf(new Date('2025-03-05T23:30:00Z'), 'Asia/Tokyo')).toBe('2025-03-06');
    expect(localDateOf(new Date('2025-03-05T23:30:00Z'), 'Europe/London')).toBe('2025-03-05');
    expect(localDateOf(new Date('2026-01-09T23:30:00Z'), 'Europe/Amsterdam')).toBe('2026-01-10');
  });

  it('should give the previous local date when the zone is behind UTC', () => {
    expect(localDateOf(new Date('2026-01-10T03:30:00.250Z'), 'America/New_York')).toBe('2026-01-09');
  });

  it('should round-trip a local midnight across a daylight-saving change', () => {
    expect(localDateOf(localTimeToUtc('2026-03-29', 0, 0, 'Europe/Paris'), 'Europe/Paris')).toBe(
      '2026-03-29',
    );
    expect(localDateOf(localTimeToUtc('2026-10-25', 23, 59, 'Europe/Paris'), 'Europe/Paris')).toBe(
      '2026-10-25',
    );
  });
});

describe('local time around offset changes (offsets are cached per steady hour)', () => {
  // The date Intl itself gives for an instant: what the cached offsets must always agree with.
  const intlDate = (at: number, timeZone: string) =>
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
      at,
    );
  const FIVE_MINUTES_AND_A_BIT = 5 * 60_000 + 7_001;

  it.each([
    // The spring and autumn changes, an hour each; Lord Howe moves by 30 minutes, Kathmandu sits at +05:45.
    ['Europe/Amsterdam', '2026-03-28T12:00:00Z'],
    ['Europe/Amsterdam', '2026-10-24T12:00:00Z'],
    ['America/New_York', '2026-11-01T00:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T06:00:00Z'],
    ['Asia/Kathmandu', '2026-06-30T12:00:00Z'],
    // Santiago's clocks go back at local midnight, so the date itself changes with the offset.
    ['America/Santiago', '2026-04-04T12:00:00Z'],
  ])('should give the local date Intl gives at every instant across a day of %s from %s', (zone, from) => {
    const start = Date.parse(from);
    for (let at = start; at < start + 36 * 3_600_000; at += FIVE_MINUTES_AND_A_BIT) {
      expect([new Date(at).toISOString(), localDateOf(new Date(at), zone)]).toEqual([
        new Date(at).toISOString(),
        intlDate(at, zone),
      ]);
    }
  });

  it.each([
    // Days whose clocks go back (a repeated time gives the later instant, shown the same), and a steady day.
    ['Europe/Amsterdam', '2026-10-25'],
    ['America/New_York', '2026-11-01'],
    ['Australia/Lord_Howe', '2026-04-05'],
    // St John's changes at 04:30 UTC, inside an hour: the one hour whose offset is not cached.
    ['America/St_Johns', '2026-11-01'],
    ['Asia/Kathmandu', '2026-06-30'],
  ])(
    'should give for every local five minutes of a day in %s on %s an instant Intl shows at that time',
    (zone, day) => {
      const shown = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
      for (let minutes = 0; minutes < 24 * 60; minutes += 5) {
        const [hour, minute] = [Math.floor(minutes / 60), minutes % 60];
        const local = `${day}, ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
        expect([local, shown.format(localTimeToUtc(day, hour, minute, zone))]).toEqual([local, local]);
      }
    },
  );
});

describe('addDays', () => {
  it('should cross month and leap-year ends', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('should go back across a month end when days is negative', () => {
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
  });

  it('should count calendar days across a daylight-saving change', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
  });
});
