import { DEAD_LETTER_HEADERS } from '@loyalty/contracts';
import type { Connection } from '../connection';
import type { CommandContext } from '../context';
import { EXIT } from '../errors';
import { palette } from '../lib/colour';
import type { EventRecord } from '../lib/event-record';
import { scanTopics, type ScanOptions } from '../scan';
import { dlqReplayCommand } from './dlq.command';

const sent: string[] = [];
let interrupt!: () => void;

jest.mock('../scan');
jest.mock('../kafka', () => ({
  ...jest.requireActual<object>('../kafka'),
  withAdmin: (_: unknown, work: (admin: unknown) => Promise<unknown>) =>
    work({ listTopics: async () => ['dev.points-earned.dlq', 'dev.dlq-replays'] }),
  // A Ctrl-C arrives while the first letter is being sent.
  kafkaClient: () => ({
    producer: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: async ({
        topic,
        messages,
      }: {
        topic: string;
        messages: { headers?: Record<string, string> }[];
      }) => {
        if (topic === 'dev.dlq-replays') return [{ topicName: topic, partition: 0, errorCode: 0 }];
        sent.push(String(messages[0].headers?.['dlq-replayed-from']));
        interrupt();
        await new Promise((resolve) => setImmediate(resolve));
        return [{ topicName: topic, partition: 0, errorCode: 0, baseOffset: '0' }];
      },
    }),
  }),
}));

function letter(offset: number): EventRecord {
  const headers = { [DEAD_LETTER_HEADERS.sourceTopic]: 'dev.points-earned' };
  return {
    topic: 'dev.points-earned.dlq',
    partition: 0,
    offset: String(offset),
    timestamp: 0,
    key: null,
    rawKey: null,
    headers,
    rawHeaders: headers,
    value: Buffer.from('{}'),
  };
}

describe('dlq replay interrupted while sending', () => {
  it('should stop before the next letter, say how far it got, and exit 130', async () => {
    jest.mocked(scanTopics).mockImplementation(async (_connection, _admin, options: ScanOptions) => {
      for (const offset of [1, 2, 3]) await options.onRecord(letter(offset));
      return { interrupted: false };
    });
    const out: string[] = [];
    const ctx: CommandContext = {
      connection: { prefix: 'dev.' } as Connection,
      paint: palette(false),
      out: (line: string) => out.push(line),
      err: jest.fn(),
      outDrained: () => undefined,
      stopped: new Promise((resolve) => (interrupt = resolve)),
    };
    await expect(dlqReplayCommand({ all: true }, ctx)).rejects.toMatchObject({
      exitCode: EXIT.interrupted,
      message: 'stopped by Ctrl-C after 1 of 3 dead letter(s)',
    });
    expect(sent).toEqual(['dev.points-earned.dlq:0:1']);
    expect(out).toEqual([
      'replayed dev.points-earned.dlq:0:1 (no event id) -> dev.points-earned',
      'replayed 1 of 3 selected dead letter(s)',
    ]);
  });
});
