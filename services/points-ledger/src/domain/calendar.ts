import { localDateOf } from '@loyalty/time';
import { LedgerError, LedgerErrorCode } from './ledger-error';

// Calendar arithmetic is in UTC: tier validity ends with the UTC year. Property-local dates (arrival,
// departure) are plain `YYYY-MM-DD` strings and are compared as such; they decide which year a stay's
// qualifying credits count in.

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

export function addMinutes(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000);
}

/** Adds calendar months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(at: Date, months: number): Date {
  const target = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(at.getUTCDate(), lastDay));
  target.setUTCHours(at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds());
  return target;
}

/** The last millisecond of a UTC year: what "valid to the end of the year" means. */
export function endOfYear(year: number): Date {
  return new Date(Date.UTC(year + 1, 0, 1) - 1);
}

export function startOfYear(year: number): Date {
  return new Date(Date.UTC(year, 0, 1));
}

/** Parses a property-local `YYYY-MM-DD` date to midnight UTC of that date, rejecting impossible dates. */
export function parseLocalDate(value: string): Date {
  const match = LOCAL_DATE.exec(value);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    // Date.UTC rolls impossible dates over (31 April is 1 May) and maps years 0-99 to 1900-1999.
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return date;
    }
  }
  throw new LedgerError(LedgerErrorCode.INVALID_ARGUMENT, `not a YYYY-MM-DD date: ${value}`);
}

/**
 * The calendar year a stay's qualifying credits count in: the year of its departure, a date local to the
 * property, so the property's time zone decides a stay that ends around midnight on 31 December.
 */
export function qualifyingYearOf(departure: string): number {
  return parseLocalDate(departure).getUTCFullYear();
}

/**
 * The qualifying year a stay departing at `at` would count in where the local time is `timeZone`'s: which
 * year is "this year" there, e.g. already the new one in Tokyo while it is still 31 December in UTC.
 */
export function qualifyingYearAt(at: Date, timeZone: string): number {
  return qualifyingYearOf(localDateOf(at, timeZone));
}

export function nightsBetween(arrival: string, departure: string): number {
  return Math.round((parseLocalDate(departure).getTime() - parseLocalDate(arrival).getTime()) / DAY_MS);
}

export function earliest(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

export function latest(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}
