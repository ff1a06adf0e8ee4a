import type { Connection } from '../connection';
import type { CommandContext } from '../context';
import { palette } from '../lib/colour';
import { decodeRecord } from '../lib/event-record';
import { selectChain } from '../lib/trace-tree';
import { scanTopics, type ScanOptions } from '../scan';
import { traceCommand } from './trace.command';

jest.mock('../scan');
jest.mock('../kafka', () => ({
  ...jest.requireActual<object>('../kafka'),
  withAdmin: (_: unknown, work: (admin: unknown) => Promise<unknown>) =>
    work({ listTopics: async () => ['dev.points-earned', 'dev.points-earned.dlq'] }),
}));
// The real selectChain, watched to see the records the trace kept.
jest.mock('../lib/trace-tree', () => {
  const actual = jest.requireActual<typeof import('../lib/trace-tree')>('../lib/trace-tree');
  return { ...actual, selectChain: jest.fn(actual.selectChain) };
});

const envelope = {
  id: 'e-1',
  type: 'points-earned',
  time: '2026-11-23T03:00:00.000Z',
  subject: 'g-1',
  correlationid: 'c-1',
  data: { points: 120, note: 'x'.repeat(10_000) },
};
const earned = decodeRecord('dev.points-earned', 0, {
  offset: '7',
  timestamp: String(Date.parse(envelope.time)),
  key: Buffer.from('g-1'),
  value: Buffer.from(JSON.stringify(envelope)),
  headers: { ce_id: 'e-1', traceparent: '00-abc-def-01' },
});
const letter = decodeRecord('dev.points-earned.dlq', 0, {
  offset: '3',
  timestamp: String(Date.parse('2026-11-23T03:00:02.000Z')),
  key: Buffer.from('g-1'),
  value: Buffer.from(JSON.stringify(envelope)),
  headers: {
    ce_id: 'e-1',
    'dlq-reason': 'HANDLER_FAILED',
    'dlq-detail': 'y'.repeat(1000),
    'dlq-attempts': '5',
    'dlq-consumer-group': 'dev.points-ledger',
    'dlq-source-topic': 'dev.points-earned',
    'dlq-source-partition': '0',
    'dlq-source-offset': '7',
  },
});

describe('trace', () => {
  it('should keep only what the tree shows of each record: no value, key, raw headers or event data', async () => {
    jest.mocked(scanTopics).mockImplementation(async (_connection, _admin, options: ScanOptions) => {
      for (const record of [earned, letter]) await options.onRecord(record);
      return { interrupted: false };
    });
    const out: string[] = [];
    const ctx: CommandContext = {
      connection: { prefix: 'dev.' } as Connection,
      paint: palette(false),
      out: (line) => out.push(line),
      err: jest.fn(),
      outDrained: () => undefined,
      stopped: new Promise(() => undefined),
    };
    await traceCommand('e-1', { since: '2026-11-23T00:00:00Z' }, ctx);

    const kept = jest.mocked(selectChain).mock.calls[0][0];
    expect(kept).toHaveLength(2);
    for (const record of kept) {
      expect(Object.keys(record).sort()).toEqual([
        'event',
        'headers',
        'offset',
        'partition',
        'timestamp',
        'topic',
      ]);
      expect(record.event).not.toHaveProperty('data');
    }
    expect(kept[0].headers).toEqual({});
    expect(kept[1].headers).toEqual({
      'dlq-reason': 'HANDLER_FAILED',
      'dlq-attempts': '5',
      'dlq-consumer-group': 'dev.points-ledger',
      'dlq-source-topic': 'dev.points-earned',
      'dlq-source-partition': '0',
      'dlq-source-offset': '7',
    });
    // ...which is all the tree needs.
    expect(out.join('\n').split('\n')).toEqual([
      '2026-11-23T03:00:00.000Z points-earned id=e-1 guest=g-1 dev.points-earned[0]@7',
      '└─ +2.00s dead-lettered by dev.points-ledger (HANDLER_FAILED, 5 attempts) id=e-1 guest=g-1 dev.points-earned.dlq[0]@3',
    ]);
  });
});
