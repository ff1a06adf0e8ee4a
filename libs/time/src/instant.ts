// ISO-8601 calendar forms only, as ECMAScript's date-time string format writes them: `YYYY`, `YYYY-MM`,
// `YYYY-MM-DD`, or a full date, `T` and a time to the minute at least (any fraction of a second), with
// `Z` or an offset. The offset is required: a `Date` reads a time without one in the server's time zone,
// so the same request would name another instant on another host (a date alone is read as UTC). Other
// ISO-8601 forms (week and ordinal dates, an hour alone, basic format, signed years, a space for `T`)
// are left to V8's own reading, which is Invalid Date or, for some, another day.
const INSTANT =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:[Zz]|[+-](?:[01]\d|2[0-3]):?[0-5]\d))?)?)?$/;

/**
 * The years a date or instant the platform takes may fall in. Stays, births and operations all do, and
 * every date the services work out from one (a report window, an expiry, an SLA deadline) stays where
 * both Postgres and JavaScript's ISO format can write it: Postgres has no year 0, and JavaScript writes
 * years past 9999 as `+010000`, which Postgres reads as a time zone.
 */
export const SUPPORTED_YEARS = { first: 1900, last: 2199 } as const;

/** Whether `year` is one of {@link SUPPORTED_YEARS}. */
export function isSupportedYear(year: number): boolean {
  return year >= SUPPORTED_YEARS.first && year <= SUPPORTED_YEARS.last;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * True for an ISO-8601 instant that `new Date()` reads as written. `IsDateString` and `isISO8601` accept
 * more (`2025-W23`, `2025-152`, `2025-06-01T10`): as a `Date` they are invalid and would fail the query
 * that uses them instead of the request. A date that does not exist (`2025-02-30`, which a `Date` would
 * roll over to 2 March) is refused too, and so is a year outside {@link SUPPORTED_YEARS}; `T24:00` is the
 * end of the day.
 */
export function isReadableInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = INSTANT.exec(value);
  if (!match) return false;
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00', fraction = '0'] = match;
  const endOfDay = hour === '24' && minute === '00' && second === '00' && Number(fraction) === 0;
  return (
    isSupportedYear(Number(year)) &&
    Number(month) >= 1 &&
    Number(month) <= 12 &&
    Number(day) >= 1 &&
    Number(day) <= daysInMonth(Number(year), Number(month)) &&
    (Number(hour) <= 23 || endOfDay) &&
    Number(minute) <= 59 &&
    Number(second) <= 59 &&
    !Number.isNaN(Date.parse(value))
  );
}
