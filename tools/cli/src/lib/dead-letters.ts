import { createHash } from 'node:crypto';
import { DEAD_LETTER_HEADERS } from '@loyalty/contracts';
import { writableHeaders, type OutgoingMessage } from '@loyalty/messaging';
import type { EventRecord } from './event-record';

/** Headers the CLI adds to a replayed dead letter, so its origin stays traceable. */
export const REPLAY_HEADERS = { from: 'dlq-replayed-from', at: 'replayed-at' } as const;

export interface ReasonGroup {
  reason: string;
  count: number;
  topics: string[];
  firstFailedAt?: string;
  lastFailedAt?: string;
}

/** A letter's `dlq-reason`, or `(none)` for a letter written without one. */
export function letterReason(letter: EventRecord): string {
  return letter.headers[DEAD_LETTER_HEADERS.reason] ?? '(none)';
}

/** Dead letters grouped by `dlq-reason`, most frequent first. */
export function groupByReason(letters: EventRecord[]): ReasonGroup[] {
  const groups = new Map<string, ReasonGroup>();
  for (const letter of letters) {
    const reason = letterReason(letter);
    const group = groups.get(reason) ?? { reason, count: 0, topics: [] };
    group.count++;
    if (!group.topics.includes(letter.topic)) group.topics.push(letter.topic);
    const failedAt = letter.headers[DEAD_LETTER_HEADERS.failedAt] ?? new Date(letter.timestamp).toISOString();
    if (!group.firstFailedAt || failedAt < group.firstFailedAt) group.firstFailedAt = failedAt;
    if (!group.lastFailedAt || failedAt > group.lastFailedAt) group.lastFailedAt = failedAt;
    groups.set(reason, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

export interface LetterSelection {
  partition?: number;
  fromOffset?: number;
  toOffset?: number;
  eventIds?: string[];
  reason?: string;
}

/** Where a dead letter sits on its dead-letter topic, `topic:partition:offset`. */
export function letterPosition(letter: EventRecord): string {
  return `${letter.topic}:${letter.partition}:${letter.offset}`;
}

export function letterEventId(letter: EventRecord): string | undefined {
  // A `ce_id` header written with a null value reads as '', which names no event.
  return letter.event?.id || letter.headers['ce_id'] || undefined;
}

/**
 * Whether a dead letter is selected: every given criterion must hold (offset range is inclusive). Reason
 * codes are upper case (HANDLER_FAILED), and one typed in lower case means the same reason.
 */
export function selectsLetter(letter: EventRecord, selection: LetterSelection): boolean {
  const offset = Number(letter.offset);
  const reason = letter.headers[DEAD_LETTER_HEADERS.reason];
  if (selection.partition !== undefined && letter.partition !== selection.partition) return false;
  if (selection.fromOffset !== undefined && offset < selection.fromOffset) return false;
  if (selection.toOffset !== undefined && offset > selection.toOffset) return false;
  if (selection.eventIds?.length && !selection.eventIds.includes(letterEventId(letter) ?? '')) return false;
  if (selection.reason !== undefined && reason?.toUpperCase() !== selection.reason.toUpperCase())
    return false;
  return true;
}

export interface ReplayMessage {
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: OutgoingMessage['headers'];
}

/** The record a dead letter was made of, `topic:partition:offset`, when its headers say. */
export function letterSource(letter: Pick<EventRecord, 'headers'>): string | undefined {
  const at = [
    DEAD_LETTER_HEADERS.sourceTopic,
    DEAD_LETTER_HEADERS.sourcePartition,
    DEAD_LETTER_HEADERS.sourceOffset,
  ];
  const parts = at.map((header) => letter.headers[header]);
  return parts.every(Boolean) ? parts.join(':') : undefined;
}

/** Why a dead letter cannot be put back as it is, if it cannot. */
export function whyNotReplayable(letter: EventRecord): string | undefined {
  if (!letter.headers[DEAD_LETTER_HEADERS.sourceTopic]) return `no ${DEAD_LETTER_HEADERS.sourceTopic} header`;
  const omitted = letter.headers[DEAD_LETTER_HEADERS.valueOmitted];
  if (omitted !== undefined) return `its value was left out, ${omitted}; read it at ${letterSource(letter)}`;
  return undefined;
}

/**
 * The message that puts a dead letter back on its original topic: the same key and value, and the original
 * headers, byte for byte (repeated ones too) without the `dlq-*` diagnosis, plus where it was replayed
 * from and when. Undefined when `whyNotReplayable` gives a reason.
 */
export function replayMessage(letter: EventRecord, at: Date): ReplayMessage | undefined {
  // whyNotReplayable makes sure the source topic header is there and not empty.
  if (whyNotReplayable(letter)) return undefined;
  const topic = letter.headers[DEAD_LETTER_HEADERS.sourceTopic];
  const headers = writableHeaders(letter.rawHeaders);
  for (const name of Object.keys(headers)) if (name.startsWith('dlq-')) delete headers[name];
  headers[REPLAY_HEADERS.from] = letterPosition(letter);
  headers[REPLAY_HEADERS.at] = at.toISOString();
  return { topic, key: letter.rawKey, value: letter.value, headers };
}

/**
 * The unit whose order a replay keeps: a key on the letter's source topic. Undefined without a source
 * topic, or without a key: keyless records are spread over partitions, in no order a replay could keep.
 */
export function orderKey(letter: EventRecord): string | undefined {
  const topic = letter.headers[DEAD_LETTER_HEADERS.sourceTopic];
  if (!topic || letter.rawKey === null) return undefined;
  return `${topic}\u0000${letter.rawKey.toString('base64')}`;
}

/** Why a letter waits: the letter at `earlier`, of the same key, is not replayed. */
export function heldBehind(earlier: string): string {
  return `an earlier letter of the same key (${earlier}) is not replayed, and sending this one first would reverse their order; replay them together once it can be`;
}

export type ReplayStep =
  { letter: EventRecord; message: ReplayMessage } | { letter: EventRecord; skipped: string };

/** A whole-number header, or -1 when it is missing or not one, so that such letters sort first. */
function numberHeader(letter: EventRecord, name: string): number {
  const value = letter.headers[name];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : -1;
}

function bySourcePosition(a: EventRecord, b: EventRecord): number {
  const topic = (letter: EventRecord) => letter.headers[DEAD_LETTER_HEADERS.sourceTopic] ?? '';
  const partition = (letter: EventRecord) => numberHeader(letter, DEAD_LETTER_HEADERS.sourcePartition);
  const offset = (letter: EventRecord) => numberHeader(letter, DEAD_LETTER_HEADERS.sourceOffset);
  return topic(a).localeCompare(topic(b)) || partition(a) - partition(b) || offset(a) - offset(b);
}

/**
 * What a replay does with each selected letter: send it, or skip it and say why. Letters go back in the
 * order their records had on their own topics, not the dead-letter topic's, which interleaves consumer
 * groups: a key's events must reach consumers in their order. So a letter that cannot be replayed holds
 * back the later letters of its key: sent now, they would arrive before it. Each record and each event is
 * sent once, since one replay reaches every consumer group; an event has several records when a replayed
 * copy failed again or the relay sent it twice.
 */
export function planReplay(letters: EventRecord[], at: Date): ReplayStep[] {
  // A record is its position and its bytes: a recreated topic puts another record at a position again.
  const plannedSources = new Set<string>();
  const plannedEvents = new Set<string>();
  // Order key -> the position of its first letter that is not replayed.
  const held = new Map<string, string>();
  return [...letters].sort(bySourcePosition).map((letter) => {
    const message = replayMessage(letter, at);
    const key = orderKey(letter);
    // replayMessage is undefined exactly when whyNotReplayable gives a reason.
    if (!message) {
      if (key && !held.has(key)) held.set(key, letterPosition(letter));
      return { letter, skipped: whyNotReplayable(letter)! };
    }
    const source = letterSource(letter);
    const record = source && `${source}:${contentDigest(letter.value)}`;
    const eventId = letterEventId(letter);
    const repeated =
      record && plannedSources.has(record)
        ? `record (${source})`
        : eventId && plannedEvents.has(eventId)
          ? `event (${eventId})`
          : undefined;
    if (repeated) {
      return {
        letter,
        skipped: `another letter of the same ${repeated} is replayed above, and one replay reaches every consumer group`,
      };
    }
    const earlier = key && held.get(key);
    if (earlier) return { letter, skipped: heldBehind(earlier) };
    if (record) plannedSources.add(record);
    if (eventId) plannedEvents.add(eventId);
    return { letter, message };
  });
}

const contentDigest = (value: Buffer | null): string =>
  value === null ? 'null' : createHash('sha256').update(value).digest('base64url');
