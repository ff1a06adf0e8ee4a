import type { Connection } from '../connection';
import type { CommandContext } from '../context';
import { EXIT } from '../errors';
import { palette } from '../lib/colour';
import { scanTopics, type ScanOptions } from '../scan';
import { dlqReplayCommand } from './dlq.command';
import { tailCommand } from './tail.command';
import { traceCommand } from './trace.command';

jest.mock('../scan');
jest.mock('../kafka', () => ({
  ...jest.requireActual<object>('../kafka'),
  withAdmin: (_: unknown, work: (admin: unknown) => Promise<unknown>) =>
    work({ listTopics: async () => ['dev.points-earned.dlq', 'dev.stay-recorded'] }),
  kafkaClient: () => {
    throw new Error('nothing may be sent after an interrupted read');
  },
}));

describe('commands that read whole topics', () => {
  beforeEach(() => {
    // A scan that, like one of a long retention, only ends when asked to stop, and then says it was cut short.
    jest
      .mocked(scanTopics)
      .mockImplementation(
        (_connection, _admin, options: ScanOptions) =>
          options.stopped?.then(() => ({ interrupted: true })) ?? new Promise(() => undefined),
      );
  });

  it.each([
    ['dlq replay', (ctx: CommandContext) => dlqReplayCommand({ all: true }, ctx)],
    ['trace', (ctx: CommandContext) => traceCommand('some-id', {}, ctx)],
    [
      'a bounded tail',
      (ctx: CommandContext) => tailCommand(['stay-recorded'], { fromBeginning: true, exit: true }, ctx),
    ],
  ])('should stop reading, and neither send nor print, when Ctrl-C arrives during %s', async (_, run) => {
    let interrupt!: () => void;
    const ctx: CommandContext = {
      connection: { prefix: 'dev.' } as Connection,
      paint: palette(false),
      out: jest.fn(),
      err: jest.fn(),
      outDrained: () => undefined,
      stopped: new Promise((resolve) => (interrupt = resolve)),
    };
    const reading = run(ctx);
    interrupt();
    await expect(reading).rejects.toMatchObject({ exitCode: EXIT.interrupted });
    expect(ctx.out).not.toHaveBeenCalled();
  });
});
