import {
  addOpenMinutes,
  FALLBACK_POLICY,
  POLICIES,
  SERVICE_ACTOR,
  type Calendar,
} from './1760000005200-duplicates-of-cancelled-originals';

// What the migration did when it shipped, written out: its tables and arithmetic must keep doing it on every
// database it has not reached yet. The values were the service's then (`DEFAULT_SLA_POLICIES`,
// `workingTimeOf`); they are not compared with the service's now, which may move on.

const at = (iso: string) => new Date(iso);
const HOUR = 60;
const DAY = 24 * HOUR;

describe('migration 1760000005200, frozen', () => {
  it('should start the timers of the SLA policies as they were, and the default’s for any other', () => {
    expect(Object.fromEntries(POLICIES)).toEqual({
      critical: { acknowledgeWithinMinutes: 15, resolveWithinMinutes: 4 * HOUR, businessHours: false },
      'high-top-tier': {
        acknowledgeWithinMinutes: 30,
        resolveWithinMinutes: 12 * HOUR,
        businessHours: false,
      },
      high: { acknowledgeWithinMinutes: HOUR, resolveWithinMinutes: DAY, businessHours: false },
      noise: { acknowledgeWithinMinutes: 30, resolveWithinMinutes: 12 * HOUR, businessHours: false },
      medium: { acknowledgeWithinMinutes: 4 * HOUR, resolveWithinMinutes: 3 * DAY, businessHours: true },
      low: { acknowledgeWithinMinutes: DAY, resolveWithinMinutes: 7 * DAY, businessHours: true },
    });
    expect(FALLBACK_POLICY).toEqual({
      acknowledgeWithinMinutes: 4 * HOUR,
      resolveWithinMinutes: 3 * DAY,
      businessHours: true,
    });
    expect(SERVICE_ACTOR).toEqual({ id: 'complaints', roles: ['service'] });
  });

  describe('business-hours arithmetic', () => {
    // Amsterdam, open Monday 09:00-17:30 and Thursday 13:00-15:00: in January (CET) 08:00-16:30 and
    // 12:00-14:00 UTC.
    const office: Calendar = {
      timeZone: 'Europe/Amsterdam',
      hours: { mon: { opens: '09:00', closes: '17:30' }, thu: { opens: '13:00', closes: '15:00' } },
      holidays: [],
    };
    /** Open on Sunday at the given local hours, when Amsterdam's clocks change, and Monday 09:00-17:00. */
    const sundays = (opens: string, closes: string): Calendar => ({
      timeZone: 'Europe/Amsterdam',
      hours: { sun: { opens, closes }, mon: { opens: '09:00', closes: '17:00' } },
      holidays: [],
    });

    it.each([
      ['from its opening', '2026-01-12T08:00:00Z', 15, '2026-01-12T08:15:00.000Z'],
      ['from before its opening, at the opening', '2026-01-12T07:00:00Z', 240, '2026-01-12T12:00:00.000Z'],
      ['to its closing exactly, on the same day', '2026-01-12T16:00:00Z', 30, '2026-01-12T16:30:00.000Z'],
      ['from its closing, on the next open day', '2026-01-12T16:30:00Z', 15, '2026-01-15T12:15:00.000Z'],
      ['from a millisecond before its closing', '2026-01-12T16:29:59.999Z', 1, '2026-01-15T12:00:59.999Z'],
      ['from after Thursday’s closing, on Monday', '2026-01-15T15:00:00Z', 60, '2026-01-19T09:00:00.000Z'],
      ['over six weeks (a medium resolution)', '2026-01-12T08:00:00Z', 3 * DAY, '2026-02-26T12:30:00.000Z'],
      // Thursday 14:30 CET, 30 minutes that day; Monday after the change to summer time, 09:00 CEST.
      ['over the change to summer time', '2026-03-26T13:30:00Z', 4 * HOUR, '2026-03-30T10:30:00.000Z'],
    ])('should count the calendar’s hours %s', (_, start, minutes, target) => {
      expect(addOpenMinutes(office, at(start), minutes).toISOString()).toBe(target);
    });

    it.each([
      // 30 March 2025, 02:00 CET becomes 03:00 CEST: 01:00-05:00 local is 00:00-03:00 UTC, three hours.
      [
        'the day summer time starts, an hour short',
        sundays('01:00', '05:00'),
        180,
        '2025-03-30T03:00:00.000Z',
      ],
      ['the day summer time starts, then Monday', sundays('01:00', '05:00'), 240, '2025-03-31T08:00:00.000Z'],
      // 02:30 never happens that day: the opening moves on by the jump, to 03:30 CEST (01:30 UTC).
      ['from an opening the jump skips', sundays('02:30', '04:00'), 30, '2025-03-30T02:00:00.000Z'],
    ])('should count %s', (_, calendar, minutes, target) => {
      expect(addOpenMinutes(calendar, at('2025-03-29T12:00:00Z'), minutes).toISOString()).toBe(target);
    });

    it.each([
      // 26 October 2025, 03:00 CEST becomes 02:00 CET: 01:00-05:00 local is 23:00-04:00 UTC, five hours.
      ['the day summer time ends, an hour long', sundays('01:00', '05:00'), 300, '2025-10-26T04:00:00.000Z'],
      ['the day summer time ends, then Monday', sundays('01:00', '05:00'), 301, '2025-10-27T08:01:00.000Z'],
      // 02:30 happens twice that day: the later, 02:30 CET (01:30 UTC).
      ['from an opening that happens twice', sundays('02:30', '03:30'), 60, '2025-10-26T02:30:00.000Z'],
    ])('should count %s', (_, calendar, minutes, target) => {
      expect(addOpenMinutes(calendar, at('2025-10-25T12:00:00Z'), minutes).toISOString()).toBe(target);
    });

    it('should skip a holiday', () => {
      // Easter Monday 2025 is a holiday: from Saturday, the next opening is Thursday 13:00 CEST.
      const easter: Calendar = {
        ...office,
        hours: { mon: { opens: '09:00', closes: '17:00' }, thu: { opens: '13:00', closes: '15:00' } },
        holidays: ['2025-04-21'],
      };
      expect(addOpenMinutes(easter, at('2025-04-19T12:00:00Z'), 60).toISOString()).toBe(
        '2025-04-24T12:00:00.000Z',
      );
    });
  });
});
