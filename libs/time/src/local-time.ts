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

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_CACHED_HOURS = 50_000;
// Offsets per zone and UTC hour, for hours with no offset change. formatToParts costs tens of
// microseconds and runs for every stay (survey timing, business calendars), while a zone's offset
// changes a few times a year.
const steadyOffsets = new Map<string, number>();

/**
 * Milliseconds `timeZone` is ahead of UTC at `instant`. An hour whose start and end have the same
 * offset has it throughout (zones change offset at most once in any hour), so it is cached; an hour
 * with a change is computed at the instant itself.
 */
function offsetAt(instant: number, timeZone: string): number {
  const hourStart = Math.floor(instant / HOUR_MS) * HOUR_MS;
  const key = `${timeZone}|${hourStart}`;
  const cached = steadyOffsets.get(key);
  if (cached !== undefined) return cached;
  const atStart = wallClockOf(hourStart, timeZone) - hourStart;
  const atEnd = wallClockOf(hourStart + HOUR_MS, timeZone) - (hourStart + HOUR_MS);
  if (atStart !== atEnd) return wallClockOf(instant, timeZone) - Math.floor(instant / 1000) * 1000;
  if (steadyOffsets.size >= MAX_CACHED_HOURS) steadyOffsets.clear();
  steadyOffsets.set(key, atStart);
  return atStart;
}

/** The local date (`YYYY-MM-DD`) of `instant` in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): string {
  const at = instant.getTime();
  return new Date(at + offsetAt(at, timeZone)).toISOString().slice(0, 10);
}

/**
 * The UTC instant of a local wall-clock time in `timeZone`, e.g. check-out at 11:00 in Tokyo.
 * A time skipped by a daylight-saving jump moves forward by the jump; a time that happens twice
 * gives the later instant.
 */
export function localTimeToUtc(localDate: string, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.parse(`${localDate}T00:00:00Z`) + (hour * 60 + minute) * 60_000;
  // A zone changes its offset at most once in a day either side: the offsets before and after the wall
  // time are the candidates, and one is right where its instant shows that wall time.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const shows = (offset: number) => offsetAt(wall - offset, timeZone) === offset;
  // Repeated (both show it): the later instant, of the smaller offset. Skipped (neither does): the
  // offset before the jump, which moves the time forward by it.
  const fitting = [before, after].filter(shows);
  return new Date(wall - (fitting.length > 0 ? Math.min(...fitting) : before));
}

/** The local date `days` after `localDate` (both `YYYY-MM-DD`; `days` may be negative). */
export function addDays(localDate: string, days: number): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
