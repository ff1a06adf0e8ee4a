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

/** Dead letters grouped by `dlq-reason`, most frequent first. */
export function groupByReason(letters: EventRecord[]): ReasonGroup[] {
  const groups = new Map<string, ReasonGroup>();
  for (const letter of letters) {
    const reason = letter.headers[DEAD_LETTER_HEADERS.reason] ?? '(none)';
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

export function letterEventId(letter: EventRecord): string | undefined {
  return letter.event?.id ?? letter.headers['ce_id'];
}

/** Whether a dead letter is selected: every given criterion must hold (offset range is inclusive). */
export function selectsLetter(letter: EventRecord, selection: LetterSelection): boolean {
  const offset = Number(letter.offset);
  if (selection.partition !== undefined && letter.partition !== selection.partition) return false;
  if (selection.fromOffset !== undefined && offset < selection.fromOffset) return false;
  if (selection.toOffset !== undefined && offset > selection.toOffset) return false;
  if (selection.eventIds?.length && !selection.eventIds.includes(letterEventId(letter) ?? '')) return false;
  if (selection.reason !== undefined && letter.headers[DEAD_LETTER_HEADERS.reason] !== selection.reason)
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
export function letterSource(letter: EventRecord): string | undefined {
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
  headers[REPLAY_HEADERS.from] = `${letter.topic}:${letter.partition}:${letter.offset}`;
  headers[REPLAY_HEADERS.at] = at.toISOString();
  return { topic, key: letter.rawKey, value: letter.value, headers };
}
