import type { Connection } from '../connection';
import type { CommandContext } from '../context';
import { EXIT } from '../errors';
import { palette } from '../lib/colour';
import { scanTopics, type ScanOptions } from '../scan';
import { dlqReplayCommand } from './dlq.command';

jest.mock('../scan');
jest.mock('../kafka', () => ({
  ...jest.requireActual<object>('../kafka'),
  withAdmin: (_: unknown, work: (admin: unknown) => Promise<unknown>) =>
    work({ listTopics: async () => ['dev.points-earned.dlq'] }),
  kafkaClient: () => {
    throw new Error('nothing may be replayed after an interrupted read');
  },
}));

describe('dlqReplayCommand', () => {
  it('should stop reading and replay nothing when Ctrl-C arrives while the letters are read', async () => {
    // A scan that, like one of a long retention, only ends when asked to stop.
    jest
      .mocked(scanTopics)
      .mockImplementation(
        (_connection, _admin, options: ScanOptions) => options.stopped ?? new Promise(() => undefined),
      );
    let interrupt!: () => void;
    const ctx: CommandContext = {
      connection: { prefix: 'dev.' } as Connection,
      paint: palette(false),
      out: jest.fn(),
      err: jest.fn(),
      stopped: new Promise((resolve) => (interrupt = resolve)),
    };
    const replaying = dlqReplayCommand({ all: true }, ctx);
    interrupt();
    await expect(replaying).rejects.toMatchObject({ exitCode: EXIT.interrupted });
    expect(ctx.out).not.toHaveBeenCalled();
  });
});
