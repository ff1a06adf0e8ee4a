// The simulator's flags as values, each checked as it is read: a flag that does not parse is refused
// naming it, rather than read as 0 or NaN (a seed of NaN is seed 0, which sends another run's stays).

export type Via = 'kafka' | 'http';

/** A whole number of at least `min`, written in digits. */
export function wholeNumber(flag: string, raw: string, min: number): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(Number.isSafeInteger(value) && value >= min))
    throw new Error(`--${flag} takes a whole number of at least ${min} (got "${raw}")`);
  return value;
}

/** A share from 0 to `max`, as a decimal (0.02, not 2%). */
export function share(flag: string, raw: string, max = 1, of = 'deliveries'): number {
  const value = /^\d+(\.\d+)?$|^\.\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= 0 && value <= max))
    throw new Error(`--${flag} takes a share of ${of} from 0 to ${max} (got "${raw}")`);
  return value;
}

export function via(raw: string): Via {
  if (raw !== 'kafka' && raw !== 'http') throw new Error(`--via takes kafka or http (got "${raw}")`);
  return raw;
}

/** A calendar date, YYYY-MM-DD, that exists. */
export function calendarDate(flag: string, raw: string): string {
  const date = new Date(`${raw}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(raw) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== raw
  )
    throw new Error(`--${flag} takes a date as YYYY-MM-DD (got "${raw}")`);
  return raw;
}

/** Simulated days a second, above 0. */
export function daysPerSecond(raw: string): number {
  const value = /^\d+(\.\d+)?$|^\.\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value > 0)) throw new Error(`--clock takes simulated days per second above 0 (got "${raw}")`);
  return value;
}
