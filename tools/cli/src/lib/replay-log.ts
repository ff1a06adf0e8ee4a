import { userInfo } from 'node:os';
import { topicDeclarations } from '@loyalty/contracts';
import type { EventRecord } from './event-record';
import { idKey } from './ids';

/**
 * What a replay recorded of one letter it put back. A letter stays on its dead-letter topic once
 * replayed; this record is what tells a later replay that it went back, before every letter of its key
 * that came after it.
 */
export interface ReplayEntry {
  /** The letter, `dlq-topic:partition:offset`. */
  letter: string;
  eventId?: string;
  /** Where its copy landed, `topic:partition:offset`. */
  copy: string;
  replayedAt: string;
  /** The operating-system user who ran the replay. */
  by: string;
}

/** The topic a replay records its letters on: one for the environment, beside its dead-letter topics. */
export function replayLogTopic(prefix: string): string {
  return `${prefix}dlq-replays`;
}

/**
 * One partition keeps the record in the order replays were made; it is kept as long as the longest-kept
 * dead letters, so no letter outlives the record of its replay.
 */
export function replayLogTopicSpec(prefix: string): {
  topic: string;
  numPartitions: number;
  configEntries: { name: string; value: string }[];
} {
  const retentionMs = Math.max(
    ...topicDeclarations(prefix)
      .filter((declaration) => declaration.kind === 'dead-letters')
      .map((declaration) => declaration.retentionMs),
  );
  return {
    topic: replayLogTopic(prefix),
    numPartitions: 1,
    configEntries: [
      { name: 'cleanup.policy', value: 'delete' },
      { name: 'retention.ms', value: String(retentionMs) },
    ],
  };
}

/** Who runs the CLI, for the record; a container without a passwd entry for its user has no name. */
export function operatingUser(env: NodeJS.ProcessEnv = process.env): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.LOGNAME ?? 'unknown';
  }
}

export function replayEntryMessage(entry: ReplayEntry): { key: string; value: string } {
  return { key: entry.letter, value: JSON.stringify(entry) };
}

/** Every entry read from the replay log, by the letter it names. */
export class ReplayLog {
  private readonly byLetter = new Map<string, ReplayEntry[]>();

  /** Takes a record of the log; one that is no entry (written by hand, say) is passed over. */
  add(record: EventRecord): void {
    const entry = record.event as Partial<ReplayEntry> | undefined;
    if (typeof entry?.letter !== 'string' || typeof entry.copy !== 'string') return;
    const entries = this.byLetter.get(entry.letter) ?? [];
    entries.push(entry as ReplayEntry);
    this.byLetter.set(entry.letter, entries);
  }

  /**
   * The replays of the letter at `position` carrying `eventId` (none for a letter that is no event), oldest
   * first. The id tells the letter apart from an earlier one at that position, before the dead-letter topic
   * was deleted and made again.
   */
  of(position: string, eventId: string | undefined): readonly ReplayEntry[] {
    return (this.byLetter.get(position) ?? []).filter((entry) => idKey(entry.eventId) === idKey(eventId));
  }

  has(position: string, eventId: string | undefined): boolean {
    return this.of(position, eventId).length > 0;
  }
}
