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

/**
 * A point in time from a duration before `now` (`15m` = 15 minutes ago) or an ISO-8601 timestamp;
 * returns epoch milliseconds. Throws a usage error naming the option otherwise.
 */
export function parseTimePoint(text: string, option: string, now: number = Date.now()): number {
  const duration = parseDuration(text);
  if (duration !== undefined) return now - duration;
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const at = Date.parse(text);
    if (!Number.isNaN(at)) return at;
  }
  throw new CliError(`${option} "${text}" is neither a duration nor a timestamp`, EXIT.usage, [
    `use a duration before now such as 30s, 15m, 2h, 1d or 1h30m`,
    `or an ISO-8601 time such as 2026-11-23T03:00:00Z`,
  ]);
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
