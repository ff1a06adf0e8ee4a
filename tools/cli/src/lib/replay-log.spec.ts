import { topicDeclarations } from '@loyalty/contracts';
import { decodeRecord } from './event-record';
import {
  operatingUser,
  replayEntryMessage,
  ReplayLog,
  replayLogTopicSpec,
  type ReplayEntry,
} from './replay-log';

const entry = (letter: string, copy: string): ReplayEntry => ({
  letter,
  eventId: 'e-1',
  copy,
  replayedAt: '2026-12-07T04:00:00.000Z',
  by: 'oncall',
});

/** A record of the replay log as the CLI reads it back. */
const logRecord = (offset: number, value: string) =>
  decodeRecord('dlq-replays', 0, {
    offset: String(offset),
    timestamp: '0',
    key: null,
    value: Buffer.from(value),
  });

describe('the replay log', () => {
  it('should give back the replays of a letter in the order they were recorded, and none of another', () => {
    const log = new ReplayLog();
    log.add(logRecord(0, replayEntryMessage(entry('points-earned.dlq:0:4', 'points-earned:1:90')).value));
    log.add(logRecord(1, replayEntryMessage(entry('points-earned.dlq:0:4', 'points-earned:1:97')).value));

    expect(log.of('points-earned.dlq:0:4', 'e-1').map((one) => one.copy)).toEqual([
      'points-earned:1:90',
      'points-earned:1:97',
    ]);
    expect(log.has('points-earned.dlq:0:4', 'E-1')).toBe(true);
    expect(log.has('points-earned.dlq:0:5', 'e-1')).toBe(false);
    expect(log.of('points-earned.dlq:0:5', 'e-1')).toEqual([]);
  });

  it('should not take another letter at the same position, after the dead-letter topic was made again, for one replayed', () => {
    const log = new ReplayLog();
    log.add(logRecord(0, replayEntryMessage(entry('points-earned.dlq:0:0', 'points-earned:1:90')).value));

    expect(log.has('points-earned.dlq:0:0', 'e-2')).toBe(false);
    expect(log.of('points-earned.dlq:0:0', 'e-2')).toEqual([]);
    expect(log.has('points-earned.dlq:0:0', undefined)).toBe(false);
  });

  it('should pass over a record that names no letter and copy, rather than count a letter replayed', () => {
    const log = new ReplayLog();
    log.add(logRecord(0, 'not json'));
    log.add(logRecord(1, JSON.stringify({ letter: 'points-earned.dlq:0:4' })));
    log.add(logRecord(2, JSON.stringify({ letter: 7, copy: 'points-earned:1:90' })));

    expect(log.has('points-earned.dlq:0:4', 'e-1')).toBe(false);
  });

  it('should be kept as long as the longest-kept dead letters, in one partition', () => {
    const spec = replayLogTopicSpec('staging.');
    const deadLetterRetention = topicDeclarations('staging.')
      .filter((declaration) => declaration.kind === 'dead-letters')
      .map((declaration) => declaration.retentionMs);
    const retention = Number(spec.configEntries.find((config) => config.name === 'retention.ms')?.value);

    expect(spec.topic).toBe('staging.dlq-replays');
    expect(spec.numPartitions).toBe(1);
    expect(new Set(deadLetterRetention).size).toBeGreaterThan(1);
    expect(deadLetterRetention).toContain(retention);
    expect(deadLetterRetention.every((ms) => ms <= retention)).toBe(true);
  });

  it('should name the operating-system user who replays', () => {
    expect(operatingUser()).toMatch(/\S/);
  });
});
