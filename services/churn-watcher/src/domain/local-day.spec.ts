import { dayNumber } from '@loyalty/lifetime';
import { localDay, localDaysAt } from './local-day';

/** 03:00 UTC, when the daily scan runs by default. */
const SCAN = new Date('2031-03-02T03:00:00Z');

/**
 * A zone name as a newer tz release could add it: stored by a pod with newer ICU data, it is unknown to
 * this runtime's, as a real new zone would be to a pod with older data.
 */
const ZONE_OF_A_NEWER_TZ_RELEASE = 'America/Zone_Of_A_Newer_Tz_Release';

describe('the local day at a property', () => {
  it('should still be the day before in the Americas when the UTC date has turned', () => {
    expect(localDay(SCAN, 'America/New_York')).toBe(dayNumber('2031-03-01'));
    expect(localDay(SCAN, 'America/Los_Angeles')).toBe(dayNumber('2031-03-01'));
  });

  it('should already be the next day in the Pacific while the UTC date has not turned', () => {
    expect(localDay(new Date('2031-03-02T12:00:00Z'), 'Pacific/Kiritimati')).toBe(dayNumber('2031-03-03'));
  });

  it('should be the UTC date in UTC and where the local date agrees with it', () => {
    expect(localDay(SCAN, 'UTC')).toBe(dayNumber('2031-03-02'));
    expect(localDay(SCAN, 'Europe/Amsterdam')).toBe(dayNumber('2031-03-02'));
  });

  it('should move with daylight saving time', () => {
    // 04:30 UTC is 00:30 in New York in summer (UTC-4) and still 23:30 the day before in winter (UTC-5).
    expect(localDay(new Date('2031-07-02T04:30:00Z'), 'America/New_York')).toBe(dayNumber('2031-07-02'));
    expect(localDay(new Date('2031-01-02T04:30:00Z'), 'America/New_York')).toBe(dayNumber('2031-01-01'));
  });

  it('should give each zone its own day when many guests are judged at one instant', () => {
    const dayIn = localDaysAt(SCAN);
    const [before, utc] = [dayNumber('2031-03-01'), dayNumber('2031-03-02')];
    expect(['America/Los_Angeles', 'UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'UTC'].map(dayIn)).toEqual([
      before,
      utc,
      utc,
      before,
      utc,
    ]);
  });

  it('should give the UTC date, and tell of the zone, when the runtime does not know the zone', () => {
    // What a pod with older ICU data meets: its Intl refuses the zone outright.
    expect(() => new Intl.DateTimeFormat('en-US', { timeZone: ZONE_OF_A_NEWER_TZ_RELEASE })).toThrow(
      RangeError,
    );
    const unknown: string[] = [];
    expect(localDay(SCAN, ZONE_OF_A_NEWER_TZ_RELEASE, (zone) => unknown.push(zone))).toBe(
      dayNumber('2031-03-02'),
    );
    expect(unknown).toEqual([ZONE_OF_A_NEWER_TZ_RELEASE]);
  });

  it('should tell of an unknown zone once when many guests in it are judged at one instant, and judge the others as before', () => {
    const unknown: string[] = [];
    const dayIn = localDaysAt(SCAN, (zone) => unknown.push(zone));
    expect(
      [ZONE_OF_A_NEWER_TZ_RELEASE, 'America/Los_Angeles', ZONE_OF_A_NEWER_TZ_RELEASE].map(dayIn),
    ).toEqual([dayNumber('2031-03-02'), dayNumber('2031-03-01'), dayNumber('2031-03-02')]);
    expect(unknown).toEqual([ZONE_OF_A_NEWER_TZ_RELEASE]);
  });
});
