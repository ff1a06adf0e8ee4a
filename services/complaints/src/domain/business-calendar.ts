import { isIanaTimeZone, isLocalDate } from '@loyalty/contracts';
import { addDays, localDateOf, localTimeToUtc } from '@loyalty/time';
import { ComplaintError, ComplaintErrorCode } from './complaint-error';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface OpeningHours {
  /** Local wall time, `HH:MM`. */
  opens: string;
  closes: string;
}

/** When a property's guest-relations team works: hours per weekday (a missing day is closed), holidays. */
export interface BusinessCalendar {
  timeZone: string;
  hours: Partial<Record<Weekday, OpeningHours>>;
  /** Local dates (`YYYY-MM-DD`) on which nobody works. */
  holidays: string[];
}

/** Counts SLA time: either every minute, or only the minutes a business calendar is open. */
export interface WorkingTime {
  /** The instant `minutes` of working time after `start`. */
  add(start: Date, minutes: number): Date;
  /** Working minutes from `from` to `to` (0 when `to` is not later). */
  between(from: Date, to: Date): number;
}

const MINUTE = 60_000;
/** A week of local dates: a calendar open on no day of one, with no holiday left to end, never opens. */
const WEEK_DAYS = 7;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const ALWAYS_OPEN: WorkingTime = {
  add: (start, minutes) => new Date(start.getTime() + minutes * MINUTE),
  between: (from, to) => Math.max(0, (to.getTime() - from.getTime()) / MINUTE),
};

export function workingTimeOf(calendar: BusinessCalendar): WorkingTime {
  return {
    add: (start, minutes) => addOpenMinutes(calendar, start, minutes),
    between: (from, to) => openMinutesBetween(calendar, from, to),
  };
}

/**
 * Walks the calendar's days from `start` until the minutes are used up, however far that takes: a calendar
 * open two hours a week takes the best part of two years to count a week of working time. It gives up only
 * on a calendar that will never open again: a whole week with no opening past its last holiday (weeks repeat
 * from there on). Every calendar `validateCalendar` lets in opens at least one weekday, so it always finds
 * the instant; its holidays, at most `MAX_HOLIDAYS`, only push it later.
 */
function addOpenMinutes(calendar: BusinessCalendar, start: Date, minutes: number): Date {
  let remaining = minutes * MINUTE;
  const lastHoliday = calendar.holidays.reduce((last, date) => (date > last ? date : last), '');
  let closedDays = 0;
  for (let date = localDateOf(start, calendar.timeZone); ; date = addDays(date, 1)) {
    const window = openingOn(calendar, date);
    // Only days past the last holiday count: before it, a closed stretch may be holidays that end.
    closedDays = (window && window.closes > window.opens) || date <= lastHoliday ? 0 : closedDays + 1;
    if (closedDays >= WEEK_DAYS) {
      throw invalid('', `the calendar has no opening hours after ${start.toISOString()}`);
    }
    if (!window) continue;
    const from = Math.max(window.opens, start.getTime());
    if (from >= window.closes) continue;
    if (remaining <= window.closes - from) return new Date(from + remaining);
    remaining -= window.closes - from;
  }
}

function openMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  let total = 0;
  const last = localDateOf(to, calendar.timeZone);
  for (let date = localDateOf(from, calendar.timeZone); date <= last; date = addDays(date, 1)) {
    const window = openingOn(calendar, date);
    if (!window) continue;
    total += Math.max(0, Math.min(window.closes, to.getTime()) - Math.max(window.opens, from.getTime()));
  }
  return total / MINUTE;
}

/** The UTC interval the calendar is open on a local date, or undefined on a closed day. */
function openingOn(calendar: BusinessCalendar, date: string): { opens: number; closes: number } | undefined {
  if (calendar.holidays.includes(date)) return undefined;
  const hours = calendar.hours[WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]];
  if (!hours) return undefined;
  const at = (time: string) => {
    const [hour, minute] = time.split(':').map(Number);
    return localTimeToUtc(date, hour, minute, calendar.timeZone).getTime();
  };
  return { opens: at(hours.opens), closes: at(hours.closes) };
}

/**
 * A year's days: a property has a few holidays a year, listed a year or two ahead. Every timer at the
 * property looks each day it counts up in the list, so it stays short.
 */
export const MAX_HOLIDAYS = 366;

const CALENDAR_FIELDS = ['timeZone', 'hours', 'holidays'] as const;
const HOURS_FIELDS = ['opens', 'closes'] as const;

/**
 * The calendar a request sent, checked in full and rebuilt of its known fields only, so that nothing else
 * is stored and echoed.
 * @throws ComplaintError INVALID_CALENDAR naming the first field that is wrong (`field`).
 */
export function validateCalendar(input: unknown): BusinessCalendar {
  if (!isRecord(input)) throw invalid('', 'the calendar must be an object { timeZone, hours, holidays }');
  assertOnly(input, CALENDAR_FIELDS, '');
  const { timeZone, hours, holidays } = input;
  if (typeof timeZone !== 'string' || !isIanaTimeZone(timeZone)) {
    throw invalid(
      'timeZone',
      `timeZone must be an IANA time zone such as Europe/Amsterdam (got ${JSON.stringify(timeZone)})`,
    );
  }
  if (!isRecord(hours)) throw invalid('hours', 'hours must be an object of weekdays');
  const opening: Partial<Record<Weekday, OpeningHours>> = {};
  for (const [day, window] of Object.entries(hours)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      throw invalid(`hours.${day}`, `hours.${day} is not a weekday; use ${WEEKDAYS.join(', ')}`);
    }
    const wrong = invalid(
      `hours.${day}`,
      `hours.${day} must be { opens: "HH:MM", closes: "HH:MM" } with opens before closes`,
    );
    if (!isRecord(window)) throw wrong;
    assertOnly(window, HOURS_FIELDS, `hours.${day}.`);
    const { opens, closes } = window;
    if (!isWallTime(opens) || !isWallTime(closes) || opens >= closes) throw wrong;
    opening[day as Weekday] = { opens, closes };
  }
  if (Object.keys(opening).length === 0) throw invalid('hours', 'hours must open on at least one weekday');
  if (!Array.isArray(holidays)) throw invalid('holidays', 'holidays must be a list of YYYY-MM-DD dates');
  if (holidays.length > MAX_HOLIDAYS) {
    throw invalid('holidays', `holidays must list at most ${MAX_HOLIDAYS} dates (got ${holidays.length})`);
  }
  const badHoliday: unknown = holidays.find((date) => typeof date !== 'string' || !isLocalDate(date));
  if (badHoliday !== undefined) {
    throw invalid('holidays', `holidays must be YYYY-MM-DD dates (got ${JSON.stringify(badHoliday)})`);
  }
  return { timeZone, hours: opening, holidays: holidays as string[] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Refuses a field the calendar does not have: stored, it would be echoed back as if it meant something. */
function assertOnly(value: Record<string, unknown>, fields: readonly string[], path: string): void {
  const unknown = Object.keys(value).find((key) => !fields.includes(key));
  if (unknown === undefined) return;
  throw invalid(`${path}${unknown}`, `${path}${unknown} is not a calendar field; use ${fields.join(', ')}`);
}

/**
 * The calendar arrives as JSON nobody typed yet: a test of the pattern alone would read `["09:00"]` as
 * "09:00" and let in a calendar whose arithmetic then fails on every timer at the property.
 */
function isWallTime(time: unknown): time is string {
  return typeof time === 'string' && HH_MM.test(time);
}

function invalid(field: string, message: string): ComplaintError {
  return new ComplaintError(ComplaintErrorCode.INVALID_CALENDAR, message, field ? { field } : {});
}
