import { CliError, EXIT } from '../errors';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/;

/** `15m`, `1h30m`, `500ms`, `2d` → milliseconds; undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  let rest = text.trim();
  if (rest === '') return undefined;
  let total = 0;
  while (rest !== '') {
    const match = DURATION.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]];
    rest = rest.slice(match[0].length);
  }
  return total;
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

const NEITHER_HINTS = [
  'use a duration before now such as 30s, 15m, 2h, 1d or 1h30m',
  'or an ISO-8601 time with its zone such as 2026-11-23T03:00:00Z or 2026-11-23T04:00+01:00, or a date (UTC midnight)',
];

/** `Z` → 0, `+01:00` / `-0530` → minutes east of UTC; undefined when out of range. */
function offsetMinutes(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(-2));
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * An ISO-8601 date (UTC midnight) or date-time with `Z` or an offset, in epoch milliseconds. A date-time
 * without a zone is refused rather than read in the laptop's zone, which on-call laptops do not share,
 * and a day or time that does not exist (2026-02-30) rather than rolled over into the next month.
 */
function parseTimestamp(text: string, option: string): number | undefined {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  if (hour !== undefined && zone === undefined) {
    throw new CliError(`${option} "${text}" has no time zone`, EXIT.usage, [
      `add Z for UTC or the offset it is in, e.g. ${text.trim()}Z or ${text.trim()}+01:00`,
    ]);
  }
  const offset = zone === undefined ? 0 : offsetMinutes(zone);
  const [y, mo, d, h, mi, sec] = [year, month, day, hour, minute, second].map((field) => Number(field ?? 0));
  const local = Date.UTC(y, mo - 1, d, h, mi, sec);
  const read = new Date(local);
  const exists =
    read.getUTCFullYear() === y &&
    read.getUTCMonth() === mo - 1 &&
    read.getUTCDate() === d &&
    h < 24 &&
    mi < 60 &&
    sec < 60;
  if (!exists || offset === undefined) {
    throw new CliError(`${option} "${text}" is not a real date and time`, EXIT.usage, NEITHER_HINTS);
  }
  return local + Math.floor(Number(fraction ?? 0) * 1_000) - offset * 60_000;
}

/**
 * A point in time from a duration before `now` (`15m` = 15 minutes ago) or an ISO-8601 date or
 * date-time with its zone; returns epoch milliseconds. Throws a usage error naming the option otherwise.
 */
export function parseTimePoint(text: string, option: string, now: number = Date.now()): number {
  const duration = parseDuration(text);
  if (duration !== undefined) return now - duration;
  const at = parseTimestamp(text, option);
  if (at !== undefined) return at;
  throw new CliError(`${option} "${text}" is neither a duration nor a timestamp`, EXIT.usage, NEITHER_HINTS);
}

/** A short human duration for time deltas in trees and tables: `850ms`, `1.2s`, `3m05s`, `2h10m`. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${sign}${Math.round(abs)}ms`;
  if (abs < 60_000) return `${sign}${(abs / 1_000).toFixed(abs < 10_000 ? 2 : 1)}s`;
  if (abs < 3_600_000) {
    const m = Math.floor(abs / 60_000);
    const s = Math.floor((abs % 60_000) / 1_000);
    return `${sign}${m}m${String(s).padStart(2, '0')}s`;
  }
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  return `${sign}${h}h${String(m).padStart(2, '0')}m`;
}
