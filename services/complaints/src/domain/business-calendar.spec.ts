import { ALWAYS_OPEN, validateCalendar, workingTimeOf, type BusinessCalendar } from './business-calendar';

const weekdays = (opens: string, closes: string) =>
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, { opens, closes }]));

const AMSTERDAM: BusinessCalendar = {
  timeZone: 'Europe/Amsterdam',
  hours: weekdays('09:00', '17:00'),
  holidays: [],
};
const at = (iso: string) => new Date(iso);

describe('business-hours arithmetic', () => {
  const office = workingTimeOf(AMSTERDAM);

  it('should carry what is left on Friday evening over the weekend to Monday morning', () => {
    // Friday 16:00 in Amsterdam (CET) is 15:00 UTC; one hour on Friday, one on Monday from 09:00.
    expect(office.add(at('2026-01-09T15:00:00Z'), 120)).toEqual(at('2026-01-12T09:00:00Z'));
    expect(office.between(at('2026-01-09T15:00:00Z'), at('2026-01-12T09:00:00Z'))).toBe(120);
  });

  it('should follow the change to summer time over the weekend in between', () => {
    // Friday 15:00 CET (14:00 UTC) + 4 h: 2 h on Friday, 2 h on Monday to 11:00 CEST, which is 09:00 UTC.
    expect(office.add(at('2026-03-27T14:00:00Z'), 240)).toEqual(at('2026-03-30T09:00:00Z'));
    expect(office.between(at('2026-03-27T14:00:00Z'), at('2026-03-30T09:00:00Z'))).toBe(240);
  });

  it('should count in the property’s own time zone', () => {
    const tokyo = workingTimeOf({ timeZone: 'Asia/Tokyo', hours: weekdays('09:00', '18:00'), holidays: [] });
    // Friday 17:30 in Tokyo: 30 minutes that day, 30 on Monday from 09:00 JST (00:00 UTC).
    expect(tokyo.add(at('2026-01-09T08:30:00Z'), 60)).toEqual(at('2026-01-12T00:30:00Z'));
  });

  it('should start counting at opening time and skip holidays', () => {
    expect(office.add(at('2026-01-12T06:00:00Z'), 30)).toEqual(at('2026-01-12T08:30:00Z'));
    const withHoliday = workingTimeOf({ ...AMSTERDAM, holidays: ['2026-01-12'] });
    expect(withHoliday.add(at('2026-01-09T15:00:00Z'), 120)).toEqual(at('2026-01-13T09:00:00Z'));
  });

  it('should count nothing outside opening hours and every minute without a calendar', () => {
    expect(office.between(at('2026-01-10T10:00:00Z'), at('2026-01-11T20:00:00Z'))).toBe(0);
    expect(ALWAYS_OPEN.add(at('2026-01-10T10:00:00Z'), 90)).toEqual(at('2026-01-10T11:30:00Z'));
    expect(ALWAYS_OPEN.between(at('2026-01-10T11:30:00Z'), at('2026-01-10T10:00:00Z'))).toBe(0);
  });
});

describe('business-hours arithmetic on a sparse calendar', () => {
  // Open two hours a week, Mondays 09:00-11:00 in Amsterdam: a week of working time (the low policy's
  // resolution target) takes 84 Mondays, well past a year.
  const MONDAYS: BusinessCalendar = {
    timeZone: 'Europe/Amsterdam',
    hours: { mon: { opens: '09:00', closes: '11:00' } },
    holidays: [],
  };
  const WEEK = 7 * 24 * 60;
  const start = at('2026-05-01T10:00:00Z'); // a Friday

  it('should find a deadline however many weeks it takes', () => {
    const mondays = workingTimeOf(MONDAYS);
    // The 84th Monday from 4 May 2026, at 11:00 CET.
    expect(mondays.add(start, WEEK)).toEqual(at('2027-12-06T10:00:00Z'));
    expect(mondays.between(start, at('2027-12-06T10:00:00Z'))).toBe(WEEK);
  });

  it('should still skip holidays, also a year of them in a row', () => {
    expect(workingTimeOf({ ...MONDAYS, holidays: ['2026-05-11'] }).add(start, WEEK)).toEqual(
      at('2027-12-13T10:00:00Z'),
    );
    const yearOff = Array.from({ length: 366 }, (_, day) =>
      new Date(Date.UTC(2026, 4, 2 + day)).toISOString().slice(0, 10),
    );
    // Closed from 2 May 2026 to 2 May 2027: the 84 Mondays start on 3 May 2027.
    const away = workingTimeOf({ ...MONDAYS, holidays: yearOff });
    expect(away.add(start, WEEK)).toEqual(at('2028-12-04T10:00:00Z'));
    expect(away.add(start, 120)).toEqual(at('2027-05-03T09:00:00Z'));
  });

  it('should refuse, not search for ever, a calendar that never opens again', () => {
    // `validateCalendar` lets in none: hours on no weekday, or only a window that closes as it opens.
    for (const hours of [{}, { tue: { opens: '09:00', closes: '09:00' } }]) {
      const never = workingTimeOf({ ...MONDAYS, hours, holidays: ['2026-12-25'] });
      expect(() => never.add(start, 1)).toThrow(
        expect.objectContaining({ code: 'INVALID_CALENDAR', message: expect.stringContaining('no opening') }),
      );
    }
  });
});

describe('validateCalendar', () => {
  it.each([
    [{ ...AMSTERDAM, timeZone: 'Mars/Olympus' }, 'timeZone must be an IANA time zone'],
    [{ ...AMSTERDAM, hours: { mon: { opens: '17:00', closes: '09:00' } } }, 'hours.mon must be'],
    [{ ...AMSTERDAM, hours: { mon: { opens: ['09:00'], closes: '17:00' } } }, 'hours.mon must be'],
    [{ ...AMSTERDAM, hours: { tue: { opens: '09:00', closes: ['17:00'] } } }, 'hours.tue must be'],
    [
      { ...AMSTERDAM, hours: { monday: { opens: '09:00', closes: '17:00' } } },
      'hours.monday is not a weekday',
    ],
    [{ ...AMSTERDAM, hours: {} }, 'hours must open on at least one weekday'],
    [{ ...AMSTERDAM, holidays: ['25/12/2026'] }, 'holidays must be YYYY-MM-DD dates (got "25/12/2026")'],
    [{ ...AMSTERDAM, timeZone: 42 }, 'timeZone must be an IANA time zone such as Europe/Amsterdam (got 42)'],
    [{ ...AMSTERDAM, note: 'x' }, 'note is not a calendar field; use timeZone, hours, holidays'],
    [
      { ...AMSTERDAM, hours: { mon: { opens: '09:00', closes: '17:00', lunch: '12:00' } } },
      'hours.mon.lunch is not a calendar field; use opens, closes',
    ],
    [{ ...AMSTERDAM, hours: [] }, 'hours must be an object of weekdays'],
    [{ ...AMSTERDAM, holidays: '2026-12-25' }, 'holidays must be a list of YYYY-MM-DD dates'],
    [{ ...AMSTERDAM, holidays: [null] }, 'holidays must be YYYY-MM-DD dates (got null)'],
    [
      { ...AMSTERDAM, holidays: Array.from({ length: 367 }, () => '2026-12-25') },
      'holidays must list at most 366 dates (got 367)',
    ],
    [null, 'the calendar must be an object'],
  ])('should refuse a wrong calendar and say what is wrong (%#)', (calendar, message) => {
    expect(() => validateCalendar(calendar)).toThrow(message);
  });

  it('should name the wrong field in the refusal', () => {
    expect(() => validateCalendar({ ...AMSTERDAM, hours: { mon: { opens: '09:00' } } })).toThrow(
      expect.objectContaining({ code: 'INVALID_CALENDAR', details: { field: 'hours.mon' } }),
    );
    expect(() => validateCalendar({ ...AMSTERDAM, timeZone: ['Europe/Amsterdam'] })).toThrow(
      expect.objectContaining({ details: { field: 'timeZone' } }),
    );
  });

  it('should keep a full year of holidays and only the calendar’s own fields', () => {
    const holidays = Array.from({ length: 366 }, (_, day) =>
      new Date(Date.UTC(2028, 0, 1 + day)).toISOString().slice(0, 10),
    );
    expect(validateCalendar({ ...AMSTERDAM, holidays })).toEqual({ ...AMSTERDAM, holidays });
  });

  it('should accept a calendar that opens one day a week', () => {
    expect(() =>
      validateCalendar({ ...AMSTERDAM, hours: { sat: { opens: '10:00', closes: '12:00' } } }),
    ).not.toThrow();
  });
});
