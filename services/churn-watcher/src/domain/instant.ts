/**
 * A UTC instant to the microsecond, as Postgres keeps a `timestamptz`, written at one width
 * (`YYYY-MM-DDTHH:MM:SS.ffffffZ`, as `to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
 * writes it), so that two compare as text in time order. Events carry from no decimals to nine: compared
 * as given, `…T09:00:00Z` would sort after `…T09:00:00.5Z`, and a `Date` would tell no microseconds apart.
 */
export type Instant = string & { readonly __instant: unique symbol };

/** What the contracts allow an event's instant to be (`isUtcInstant`). */
const EVENT_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * The instant an event names, as Postgres stores it: decimals past the sixth are rounded as Postgres
 * rounds them (`rint` of the fraction times a million, ties to even), carrying into the second.
 */
export function instantOf(eventInstant: string): Instant {
  const match = EVENT_INSTANT.exec(eventInstant);
  if (!match) throw new RangeError(`not a UTC instant: ${eventInstant}`);
  let [, seconds] = match;
  let micros = roundHalfToEven(Number(`0.${match[2] ?? '0'}`) * 1_000_000);
  if (micros === 1_000_000) {
    seconds = new Date(Date.parse(`${seconds}Z`) + 1000).toISOString().slice(0, 19);
    micros = 0;
  }
  return `${seconds}.${String(micros).padStart(6, '0')}Z` as Instant;
}

function roundHalfToEven(value: number): number {
  const nearest = Math.round(value);
  return nearest - value === 0.5 && nearest % 2 !== 0 ? nearest - 1 : nearest;
}
