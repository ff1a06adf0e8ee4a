// Format checks for the three kinds of time in the contracts: local stay dates, UTC instants, IANA zones.

import { isSupportedYear } from '@loyalty/time';

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/;
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!isSupportedYear(year) || month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0);
}

/** `YYYY-MM-DD` naming a real calendar day in one of the supported years (`SUPPORTED_YEARS`). */
export function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = LOCAL_DATE.exec(value);
  return match !== null && isCalendarDate(+match[1], +match[2], +match[3]);
}

/** ISO-8601 in UTC with a `Z` designator, e.g. `2025-03-01T10:15:00Z` or `2025-03-01T10:15:00.123Z`. */
export function isUtcInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = INSTANT.exec(value);
  return (
    match !== null &&
    isCalendarDate(+match[1], +match[2], +match[3]) &&
    +match[4] < 24 &&
    +match[5] < 60 &&
    +match[6] < 60
  );
}

// Canonical zones, plus aliases the runtime accepts (`UTC`, `Europe/Kiev`), remembered per name so a
// zone costs one Intl call per process. The cache is bounded: names come from untrusted input.
const canonicalZones = new Set(Intl.supportedValuesOf('timeZone'));
const checkedZones = new Map<string, boolean>();
const MAX_CHECKED_ZONES = 1000;

// A name without an area is read by Postgres as an abbreviation first (`IST` is Israel there, India in
// ICU; `AET` it does not know at all), so the services' SQL and JavaScript would disagree on the hour.
// Of those, only UTC and GMT mean the same on both sides.
const AREALESS_ZONES = new Set(['UTC', 'GMT']);

/**
 * An IANA time zone name known to the runtime's ICU data, as Area/Location (or UTC, GMT): a name Postgres
 * reads as the same zone.
 */
export function isIanaTimeZone(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (canonicalZones.has(value)) return true;
  const known = checkedZones.get(value);
  if (known !== undefined) return known;
  const valid =
    ZONE_NAME.test(value) && (value.includes('/') || AREALESS_ZONES.has(value)) && acceptedByIntl(value);
  if (checkedZones.size < MAX_CHECKED_ZONES) checkedZones.set(value, valid);
  return valid;
}

function acceptedByIntl(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Whole days from one local date to a later one (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
