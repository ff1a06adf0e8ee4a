// Local wall time at a property, in its IANA zone. Intl knows every zone's offsets, daylight saving
// included, so converting between a local date and hour and a UTC instant needs no date library.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock of `instant` in `timeZone` (to the second), read as if it were UTC. */
function wallClockOf(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
}

/** Milliseconds `timeZone` is ahead of UTC at `instant`, which falls on a whole second. */
function offsetAt(instant: number, timeZone: string): number {
  return wallClockOf(instant, timeZone) - instant;
}

/** The local date (`YYYY-MM-DD`) of `instant` in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): string {
  return new Date(wallClockOf(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

/**
 * The UTC instant of a local wall-clock time in `timeZone`, e.g. check-out at 11:00 in Tokyo.
 * A time skipped by a daylight-saving jump moves forward by the jump; a time that happens twice
 * gives the later instant.
 */
export function localTimeToUtc(localDate: string, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.parse(`${localDate}T00:00:00Z`) + (hour * 60 + minute) * 60_000;
  const firstGuess = wall - offsetAt(wall, timeZone);
  // A second pass settles instants near a daylight-saving change.
  return new Date(wall - offsetAt(firstGuess, timeZone));
}

/** The local date `days` after `localDate` (both `YYYY-MM-DD`; `days` may be negative). */
export function addDays(localDate: string, days: number): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
