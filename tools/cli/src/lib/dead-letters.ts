import { createHash } from 'node:crypto';
import { DEAD_LETTER_HEADERS } from '@loyalty/contracts';
import { writableHeaders, type OutgoingMessage } from '@loyalty/messaging/broker';
import type { EventRecord } from './event-record';
import type { ReplayLog } from './replay-log';
import { idKey, sameId } from './ids';

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

/**
 * Dead letters counted by `dlq-reason`, one at a time as they are read: a listing needs the counts, not
 * the letters, and a dead-letter topic can hold more of them than fit in memory.
 */
export class ReasonCounts {
  private readonly byReason = new Map<string, ReasonGroup>();

  add(letter: EventRecord): void {
    const reason = letterReason(letter);
    const group = this.byReason.get(reason) ?? { reason, count: 0, topics: [] };
    group.count++;
    if (!group.topics.includes(letter.topic)) group.topics.push(letter.topic);
    const failedAt = letter.headers[DEAD_LETTER_HEADERS.failedAt] ?? new Date(letter.timestamp).toISOString();
    if (!group.firstFailedAt || failedAt < group.firstFailedAt) group.firstFailedAt = failedAt;
    if (!group.lastFailedAt || failedAt > group.lastFailedAt) group.lastFailedAt = failedAt;
    this.byReason.set(reason, group);
  }

  /** Most frequent first. */
  groups(): ReasonGroup[] {
    return [...this.byReason.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  }
}

export interface LetterSelection {
  partition?: number;
  fromOffset?: number;
  toOffset?: number;
  eventIds?: string[];
  reason?: string;
  /** Written at or after this time, epoch milliseconds. */
  since?: number;
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
  if (selection.since !== undefined && letter.timestamp < selection.since) return false;
  if (selection.fromOffset !== undefined && offset < selection.fromOffset) return false;
  if (selection.toOffset !== undefined && offset > selection.toOffset) return false;
  const eventId = letterEventId(letter);
  if (selection.eventIds?.length && !selection.eventIds.some((id) => sameId(id, eventId))) return false;
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

/** Why a letter waits: an earlier letter of its key was read but not selected, and may still wait itself. */
export function heldBehindUnselected(earlier: string, eventId: string | undefined): string {
  const add = eventId ? `add --event-id ${eventId}` : 'widen the selection';
  return `an earlier letter of the same key (${earlier}${eventId ? `, ${eventId}` : ''}) is not selected, and sending this one first would reverse their order; ${add} to replay them together (an event handled already is skipped by its consumers)`;
}

/**
 * What planning a replay needs to know of a letter: enough to order it and to tell which letters are of
 * one record or event, without its value or headers, so that every letter read can be planned over.
 */
export interface LetterOutline {
  position: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: number;
  /** `topic:partition:offset` of the record it was made of, when its headers say. */
  source?: string;
  orderKey?: string;
  eventId?: string;
  /** The record it was made of, by its topic, key and bytes. */
  record?: string;
  notReplayable?: string;
  /** The letter its record is a replayed copy of, when it is one that failed again. */
  replayedFrom?: string;
}

export function outlineLetter(letter: EventRecord): LetterOutline {
  const source = letterSource(letter);
  const sourceTopic = letter.headers[DEAD_LETTER_HEADERS.sourceTopic] ?? '';
  return {
    position: letterPosition(letter),
    sourceTopic,
    sourcePartition: numberHeader(letter, DEAD_LETTER_HEADERS.sourcePartition),
    sourceOffset: numberHeader(letter, DEAD_LETTER_HEADERS.sourceOffset),
    source,
    orderKey: orderKey(letter),
    eventId: letterEventId(letter),
    // A record is its topic, key and bytes, not its position: a replayed copy that fails again sits at
    // another offset, and a recreated topic puts another record at a position again.
    record: source && `${orderKey(letter) ?? sourceTopic}\u0000${contentDigest(letter.value)}`,
    notReplayable: whyNotReplayable(letter),
    replayedFrom: letter.headers[REPLAY_HEADERS.from] || undefined,
  };
}

/**
 * Warnings for selected letters of records replayed before from a letter no longer on its topic (past
 * retention): the first record of that event is unknown, so where it stood among its key's is too, and
 * the replay orders it by its later copy.
 */
export function lostOrigins(read: ReadLetter[]): string[] {
  const positions = new Set(read.map((one) => one.outline.position));
  return read
    .filter(
      ({ outline, selected }) => selected && outline.replayedFrom && !positions.has(outline.replayedFrom),
    )
    .map(
      ({ outline }) =>
        `${outline.position} is a replayed copy of ${outline.replayedFrom}, which is no longer on its topic: the letters of its key are ordered by this copy, which may be later than its first record stood`,
    );
}

/** A letter read for a replay: its outline always, the letter itself only when it is selected. */
export interface ReadLetter {
  outline: LetterOutline;
  selected?: EventRecord;
}

export type ReplayStep =
  { letter: EventRecord; message: ReplayMessage } | { letter: EventRecord; skipped: string };

/** A whole-number header, or -1 when it is missing or not one, so that such letters sort first. */
function numberHeader(letter: EventRecord, name: string): number {
  const value = letter.headers[name];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : -1;
}

function bySourcePosition(a: LetterOutline, b: LetterOutline): number {
  return (
    a.sourceTopic.localeCompare(b.sourceTopic) ||
    a.sourcePartition - b.sourcePartition ||
    a.sourceOffset - b.sourceOffset
  );
}

/** What one replay puts back once: an event, else a record, else (no source named) the letter alone. */
function replayUnit(outline: LetterOutline): string {
  if (outline.eventId) return `event\u0000${idKey(outline.eventId)}`;
  return outline.record ? `record\u0000${outline.record}` : `letter\u0000${outline.position}`;
}

function sameUnit(sent: LetterOutline, other: LetterOutline): string {
  const repeated =
    sent.source !== undefined && sent.source === other.source
      ? `record (${sent.source})`
      : sent.eventId
        ? `event (${sent.eventId})`
        : `record (${sent.source})`;
  return `another letter of the same ${repeated} is replayed above, and one replay reaches every consumer group`;
}

/**
 * What a replay does with each selected letter: send it, or skip it and say why. Letters go back in the
 * order their records had on their own topics, not the dead-letter topic's, which interleaves consumer
 * groups: a key's events must reach consumers in their order. An event or record goes back once, since
 * one replay reaches every consumer group, in the place of its earliest letter: an event has several
 * records when a replayed copy failed again or the relay sent it twice. Planned over every letter read,
 * selected or not: a letter that is not selected, or cannot be replayed, holds back the later letters of
 * its key, which sent now would arrive before it. Unless an earlier replay put it back (`replayedBefore`
 * names the positions of the letters replays sent): its copy is on the topic already, ahead of anything
 * sent now (see `putBackBefore`).
 */
export function planReplay(
  read: ReadLetter[],
  at: Date,
  replayedBefore: Pick<ReplayLog, 'has'>,
): ReplayStep[] {
  const units = new Map<string, ReadLetter[]>();
  for (const one of [...read].sort((a, b) => bySourcePosition(a.outline, b.outline))) {
    const unit = replayUnit(one.outline);
    const letters = units.get(unit);
    if (letters) letters.push(one);
    else units.set(unit, [one]);
  }
  // Order key -> why its later letters wait.
  const held = new Map<string, string>();
  const steps: ReplayStep[] = [];
  // A unit's letters are in source order, and units in the order of their earliest letter.
  for (const letters of units.values()) {
    const earliest = letters[0].outline;
    const key = earliest.orderKey;
    const selected = letters.filter((one): one is Required<ReadLetter> => one.selected !== undefined);
    const sendable = selected.find((one) => !one.outline.notReplayable);
    const earlier = key && held.get(key);
    if (!sendable) {
      const putBack = selected.length === 0 && putBackBefore(letters, replayedBefore);
      if (key && !earlier && !putBack) {
        held.set(
          key,
          selected.length === 0
            ? heldBehindUnselected(earliest.position, earliest.eventId)
            : heldBehind(selected[0].outline.position),
        );
      }
      // Not one selected letter of the unit can be replayed: each says why.
      for (const one of selected) steps.push({ letter: one.selected, skipped: one.outline.notReplayable! });
      continue;
    }
    if (earlier) {
      for (const one of selected)
        steps.push({ letter: one.selected, skipped: one.outline.notReplayable ?? earlier });
      continue;
    }
    // replayMessage is undefined exactly when whyNotReplayable gives a reason.
    steps.push({ letter: sendable.selected, message: replayMessage(sendable.selected, at)! });
    for (const one of selected) {
      if (one !== sendable)
        steps.push({ letter: one.selected, skipped: sameUnit(sendable.outline, one.outline) });
    }
  }
  return steps;
}

/**
 * Whether an earlier replay put back the event (or record) of these letters, for good so far. One replay
 * sends one letter of a record and reaches every consumer group, so the record's other letters (other
 * groups') are put back with it. A copy that failed again is a record of its own, made by a replay
 * (`replayedFrom`): until a replay puts that one back too, the event is not.
 */
function putBackBefore(letters: readonly ReadLetter[], replayedBefore: Pick<ReplayLog, 'has'>): boolean {
  const recordOf = (outline: LetterOutline) => outline.source ?? outline.position;
  const settled = new Set(
    letters
      .filter(({ outline }) => replayedBefore.has(outline.position, outline.eventId))
      .map(({ outline }) => recordOf(outline)),
  );
  return (
    settled.size > 0 &&
    letters.every(({ outline }) => !outline.replayedFrom || settled.has(recordOf(outline)))
  );
}

const contentDigest = (value: Buffer | null): string =>
  value === null ? 'null' : createHash('sha256').update(value).digest('base64url');
