import { DEAD_LETTER_HEADERS } from '@loyalty/contracts';
import type { Paint } from './colour';
import { letterSource } from './dead-letters';
import { formatDuration } from './duration';
import { eventTime, type Envelope, type EventRecord } from './event-record';
import { idKey, sameId } from './ids';

/** What a trace reads of a record: where it sits, its time, its event's attributes, its dead-letter headers. */
export type TraceRecord = Pick<
  EventRecord,
  'topic' | 'partition' | 'offset' | 'timestamp' | 'headers' | 'event'
>;

const TRACE_ATTRIBUTES = ['id', 'type', 'time', 'subject', 'correlationid', 'causationid'] as const;
const TRACE_HEADERS = [
  DEAD_LETTER_HEADERS.reason,
  DEAD_LETTER_HEADERS.attempts,
  DEAD_LETTER_HEADERS.consumerGroup,
  DEAD_LETTER_HEADERS.sourceTopic,
  DEAD_LETTER_HEADERS.sourcePartition,
  DEAD_LETTER_HEADERS.sourceOffset,
];

/**
 * A record cut down to what a trace reads. A trace keeps every event of its scan window until the chain
 * is chosen, millions in a busy day: the value, the key, the raw headers and the event's data would
 * overrun the heap, and the trace shows none of them.
 */
export function traceRecord(record: EventRecord): TraceRecord {
  const { topic, partition, offset, timestamp } = record;
  const headers: Record<string, string> = {};
  for (const name of TRACE_HEADERS) {
    if (record.headers[name] !== undefined) headers[name] = record.headers[name];
  }
  if (!record.event) return { topic, partition, offset, timestamp, headers };
  const event: Envelope = {};
  for (const name of TRACE_ATTRIBUTES) {
    if (record.event[name] !== undefined) event[name] = record.event[name];
  }
  return { topic, partition, offset, timestamp, headers, event };
}

export interface TraceNode {
  record: TraceRecord;
  /** Time from the parent event to this one; undefined for a root. */
  deltaMs?: number;
  children: TraceNode[];
}

const isDeadLetter = (record: TraceRecord) => record.headers[DEAD_LETTER_HEADERS.reason] !== undefined;

/**
 * One node per event, however many topics a scan found it on (a replay writes it again), and one per
 * dead letter of it: each consumer group that gave up on it, and each record of it that failed again.
 */
function traceIdentity(record: TraceRecord): string {
  const identity = isDeadLetter(record)
    ? [
        'dead letter',
        idKey(record.event?.id),
        record.headers[DEAD_LETTER_HEADERS.consumerGroup],
        letterSource(record),
      ]
    : ['event', idKey(record.event?.id)];
  return identity.join('\u0000');
}

/**
 * The records of one chain: those whose id or correlation id is `id`, then, until nothing changes,
 * every record caused by one of them or causing one of them (chains that crossed correlation ids).
 */
export function selectChain(records: TraceRecord[], id: string): TraceRecord[] {
  const events = records.filter((record) => record.event?.id);
  const idOf = (record: TraceRecord) => idKey(record.event?.id);
  const correlationOf = (record: TraceRecord) => idKey(record.event?.correlationid);
  const causeOf = (record: TraceRecord) => idKey(record.event?.causationid);
  const wanted = idKey(id);
  const seed = events.filter((r) => idOf(r) === wanted || correlationOf(r) === wanted);
  const correlations = new Set(seed.map(correlationOf).filter((c): c is string => !!c));
  const chosen = new Set(events.filter((r) => seed.includes(r) || correlations.has(correlationOf(r) ?? '')));
  for (let grew = true; grew;) {
    grew = false;
    const ids = new Set([...chosen].map(idOf));
    const causes = new Set([...chosen].map(causeOf));
    for (const record of events) {
      if (chosen.has(record)) continue;
      if (ids.has(causeOf(record)) || causes.has(idOf(record)) || ids.has(idOf(record))) {
        chosen.add(record);
        grew = true;
      }
    }
  }
  return [...chosen];
}

/**
 * Builds the cause → effect tree: a record's parent is the event named by its `causationid`; a dead
 * letter hangs under the event it is a copy of. Records whose cause is not among them are roots.
 * Siblings and roots are in time order.
 */
export function buildTraceTree(records: TraceRecord[]): TraceNode[] {
  const unique = new Map<string, TraceRecord>();
  for (const record of records) {
    const identity = traceIdentity(record);
    if (!unique.has(identity)) unique.set(identity, record);
  }
  const byTime = [...unique.values()].sort((a, b) => eventTime(a) - eventTime(b));
  const nodes = new Map(byTime.map((record) => [record, { record, children: [] } as TraceNode]));
  const originals = new Map<string, TraceNode>();
  for (const node of nodes.values()) {
    if (!isDeadLetter(node.record) && node.record.event?.id) originals.set(idKey(node.record.event.id), node);
  }
  const roots: TraceNode[] = [];
  for (const node of nodes.values()) {
    const event = node.record.event;
    const parent = isDeadLetter(node.record)
      ? originals.get(idKey(event?.id) ?? '')
      : event?.causationid !== undefined
        ? originals.get(idKey(event.causationid))
        : undefined;
    if (parent && parent !== node) {
      node.deltaMs =
        (isDeadLetter(node.record) ? node.record.timestamp : eventTime(node.record)) -
        eventTime(parent.record);
      parent.children.push(node);
    } else {
      roots.push(node);
    }
  }
  return roots;
}

function describe(node: TraceNode, paint: Paint, highlight: string): string {
  const { record } = node;
  const event = record.event ?? {};
  const delta =
    node.deltaMs === undefined
      ? paint.dim(new Date(eventTime(record)).toISOString())
      : paint.green(`+${formatDuration(node.deltaMs)}`);
  const group = record.headers[DEAD_LETTER_HEADERS.consumerGroup];
  const label = isDeadLetter(record)
    ? paint.red(
        `dead-lettered${group ? ` by ${group}` : ''} (${record.headers[DEAD_LETTER_HEADERS.reason]}, ${record.headers[DEAD_LETTER_HEADERS.attempts] ?? '?'} attempts)`,
      )
    : paint.cyan(paint.bold(event.type ?? '?'));
  const id = sameId(event.id, highlight)
    ? paint.yellow(paint.bold(`id=${event.id}`))
    : paint.grey(`id=${event.id}`);
  const guest = event.subject ? ` ${paint.grey('guest=')}${event.subject}` : '';
  return `${delta} ${label} ${id}${guest} ${paint.grey(`${record.topic}[${record.partition}]@${record.offset}`)}`;
}

/** The tree as text: roots with their time, children with the time since their cause. */
export function renderTraceTree(roots: TraceNode[], paint: Paint, highlight = ''): string {
  const lines: string[] = [];
  const walk = (node: TraceNode, indent: string, last: boolean, root: boolean) => {
    lines.push(
      root
        ? describe(node, paint, highlight)
        : `${indent}${last ? '└─ ' : '├─ '}${describe(node, paint, highlight)}`,
    );
    const childIndent = root ? '' : `${indent}${last ? '   ' : '│  '}`;
    node.children.forEach((child, i) => walk(child, childIndent, i === node.children.length - 1, false));
  };
  roots.forEach((root) => walk(root, '', true, true));
  return lines.join('\n');
}

/** The tree as plain data for `--json`. */
export function traceJson(node: TraceNode): Record<string, unknown> {
  return {
    id: node.record.event?.id,
    type: node.record.event?.type,
    topic: node.record.topic,
    partition: node.record.partition,
    offset: node.record.offset,
    time: new Date(eventTime(node.record)).toISOString(),
    deltaMs: node.deltaMs,
    deadLetter: isDeadLetter(node.record) ? node.record.headers[DEAD_LETTER_HEADERS.reason] : undefined,
    consumerGroup: node.record.headers[DEAD_LETTER_HEADERS.consumerGroup],
    children: node.children.map(traceJson),
  };
}
