const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock of `instant` in `timeZone`, read as if it were UTC. */
function wallClockOf(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(instant))
      .map((part) => [part.type, Number(part.value)]),
  );
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
}

/** The property's local date (`YYYY-MM-DD`) at `instant`. */
export function localDateOf(instant: Date, timeZone: string): string {
  return new Date(wallClockOf(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

/** The instant a local date and hour happen in `timeZone` (the later one across a DST jump). */
export function localTimeToUtc(localDate: string, hour: number, timeZone: string): Date {
  const wall = Date.parse(`${localDate}T00:00:00Z`) + hour * 3_600_000;
  const guess = wall - (wallClockOf(wall, timeZone) - wall);
  return new Date(wall - (wallClockOf(guess, timeZone) - guess));
}

export function addDays(localDate: string, days: number): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
