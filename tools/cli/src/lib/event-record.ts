import { parseEventBytes } from '@loyalty/contracts';
import type { RawHeaders } from '@loyalty/messaging/broker';
import { matchesFilter, type FilterNode } from './filter-expression';
import { sameId } from './ids';

/** The CloudEvents attributes the CLI reads; anything else in the envelope is kept as-is. */
export interface Envelope {
  id?: string;
  type?: string;
  source?: string;
  time?: string;
  subject?: string;
  correlationid?: string;
  causationid?: string;
  propertyid?: string;
  dataversion?: string;
  data?: unknown;
  [attribute: string]: unknown;
}

/** One Kafka message as the CLI sees it: where it sits, and its envelope when the value is JSON. */
export interface EventRecord {
  topic: string;
  partition: number;
  offset: string;
  /** Kafka's timestamp, epoch milliseconds. */
  timestamp: number;
  key: string | null;
  /** The key byte for byte: the partition it lands on on replay depends on its bytes. */
  rawKey: Buffer | null;
  headers: Record<string, string>;
  /** The headers byte for byte, repeated ones included, for a replay to put back as they were. */
  rawHeaders: RawHeaders;
  value: Buffer | null;
  /** The parsed envelope; undefined when the value is not a JSON object. */
  event?: Envelope;
  /** Why the value could not be read as an event. */
  unreadable?: string;
}

export interface RawKafkaMessage {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  /** kafkajs types these as `IHeaders`, but reads a header with a null value as `null`. */
  headers?: RawHeaders;
}

export function headerStrings(headers: RawKafkaMessage['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    // Java producers and Kafka Connect write null header values; the messaging library writes them as ''.
    result[name] = (Array.isArray(value) ? value[0] : value)?.toString() ?? '';
  }
  return result;
}

export function decodeRecord(topic: string, partition: number, message: RawKafkaMessage): EventRecord {
  const record: EventRecord = {
    topic,
    partition,
    offset: message.offset,
    timestamp: Number(message.timestamp),
    key: message.key?.toString() ?? null,
    rawKey: message.key,
    headers: headerStrings(message.headers),
    rawHeaders: message.headers ?? {},
    value: message.value,
  };
  try {
    const parsed = parseEventBytes(message.value);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      record.event = parsed as Envelope;
    else record.unreadable = 'the value is JSON but not an object';
  } catch (error) {
    record.unreadable = error instanceof Error ? error.message : String(error);
  }
  return record;
}

/** The event's time: the envelope's `time`, else Kafka's timestamp. */
export function eventTime(record: Pick<EventRecord, 'event' | 'timestamp'>): number {
  const time = record.event?.time ? Date.parse(record.event.time) : NaN;
  return Number.isNaN(time) ? record.timestamp : time;
}

export interface EventFilter {
  types?: string[];
  guest?: string;
  property?: string;
  where?: FilterNode;
}

/** What `--where` paths see: the envelope, plus `key`, `topic`, `partition`, `offset`, `headers`. */
export function filterSubject(record: EventRecord): Record<string, unknown> {
  return {
    ...(record.event ?? {}),
    key: record.key,
    topic: record.topic,
    partition: record.partition,
    offset: Number(record.offset),
    headers: record.headers,
  };
}

export function matchesEventFilter(record: EventRecord, filter: EventFilter): boolean {
  const event = record.event;
  if (filter.types?.length && !filter.types.includes(event?.type ?? record.headers['ce_type'] ?? ''))
    return false;
  if (filter.guest !== undefined && !sameId(event?.subject ?? record.headers['ce_subject'], filter.guest))
    return false;
  if (filter.property !== undefined && event?.propertyid !== filter.property) return false;
  if (filter.where && !matchesFilter(filter.where, filterSubject(record))) return false;
  return true;
}
