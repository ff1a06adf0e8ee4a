import { DEAD_LETTER_HEADERS, EVENT_HEADERS } from '@loyalty/contracts';
import type { Paint } from './colour';
import type { EventRecord } from './event-record';

const SUMMARY_FIELDS = 5;
/** Fields on-call looks for first (points, nights, tier moves, reasons); the rest fill up after. */
const KEY_FIELDS = [
  'points',
  'nights',
  'from',
  'to',
  'reason',
  'channel',
  'balance',
  'amount',
  'score',
  'reservationId',
];
const SUMMARY_VALUE = 40;
/** Payload fields already shown as subject/property, so the summary does not repeat them. */
const SHOWN_ELSEWHERE = new Set(['guestId', 'propertyId']);

/** `nights=3 channel=ota points=300`: the payload's scalar fields, for a one-line view. */
export function summariseData(data: unknown): string {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return '';
  const parts: string[] = [];
  const fields = Object.entries(data as Record<string, unknown>);
  const rank = (name: string) => (KEY_FIELDS.includes(name) ? KEY_FIELDS.indexOf(name) : KEY_FIELDS.length);
  fields.sort(([a], [b]) => rank(a) - rank(b));
  for (const [name, value] of fields) {
    if (SHOWN_ELSEWHERE.has(name) || value === null || value === undefined) continue;
    if (typeof value === 'object') continue;
    let text = String(value);
    if (text.length > SUMMARY_VALUE) text = `${text.slice(0, SUMMARY_VALUE - 1)}…`;
    if (/\s/.test(text)) text = JSON.stringify(text);
    parts.push(`${name}=${text}`);
    if (parts.length === SUMMARY_FIELDS) break;
  }
  return parts.join(' ');
}

/** The headers worth reading at 3 a.m.: correlation, causation, and dead-letter attempts/reason. */
export function keyHeaders(headers: Record<string, string>): Record<string, string> {
  const wanted: [string, string][] = [
    ['corr', EVENT_HEADERS.correlationId],
    ['cause', EVENT_HEADERS.causationId],
    ['attempts', DEAD_LETTER_HEADERS.attempts],
    ['reason', DEAD_LETTER_HEADERS.reason],
    ['replayed-from', 'dlq-replayed-from'],
  ];
  const picked: Record<string, string> = {};
  for (const [label, name] of wanted) if (headers[name] !== undefined) picked[label] = headers[name];
  return picked;
}

export interface LineOptions {
  headers?: boolean;
}

/** One line per event: time, type, guest, property, payload summary, id and position. */
export function formatEventLine(record: EventRecord, paint: Paint, options: LineOptions = {}): string {
  const event = record.event;
  const when = new Date(record.timestamp).toISOString();
  const position = paint.grey(`${record.topic}[${record.partition}]@${record.offset}`);
  if (!event) {
    return `${paint.dim(when)} ${paint.red('unreadable')} ${paint.red(record.unreadable ?? '')} ${position}`;
  }
  const parts = [
    paint.dim(when),
    paint.cyan(paint.bold(event.type ?? '?')),
    event.subject ? `${paint.grey('guest=')}${paint.yellow(event.subject)}` : '',
    event.propertyid ? `${paint.grey('prop=')}${paint.magenta(event.propertyid)}` : '',
    summariseData(event.data),
    paint.grey(`id=${event.id ?? '?'}`),
    position,
  ];
  if (options.headers) {
    const picked = keyHeaders(record.headers);
    if (!picked.corr && event.correlationid) picked.corr = event.correlationid;
    if (!picked.cause && event.causationid) picked.cause = event.causationid;
    parts.push(
      ...Object.entries(picked).map(([name, value]) =>
        name === 'attempts' || name === 'reason'
          ? paint.red(`${name}=${value}`)
          : paint.blue(`${name}=${value}`),
      ),
    );
  }
  return parts.filter((part) => part !== '').join(' ');
}

/** The NDJSON shape of `--json`: position, key, (headers), and the envelope or the raw value. */
export function eventJson(record: EventRecord, options: LineOptions = {}): Record<string, unknown> {
  const json: Record<string, unknown> = {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: new Date(record.timestamp).toISOString(),
    key: record.key,
  };
  if (options.headers) json.headers = record.headers;
  if (record.event) json.event = record.event;
  else {
    json.value = record.value?.toString('base64') ?? null;
    json.unreadable = record.unreadable;
  }
  return json;
}

/** A plain text table with left-aligned columns; numbers are right-aligned. */
export function table(header: string[], rows: (string | number)[][], paint?: Paint): string {
  const cells = rows.map((row) => row.map(String));
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((row) => row[column]?.length ?? 0)),
  );
  const line = (row: string[], numeric: boolean[]) =>
    row
      .map((cell, column) => (numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  const numericColumns = header.map(
    (_, column) =>
      rows.length > 0 && rows.every((row) => typeof row[column] === 'number' || row[column] === '-'),
  );
  const title = line(header, numericColumns);
  return [paint ? paint.bold(title) : title, ...cells.map((row) => line(row, numericColumns))].join('\n');
}
