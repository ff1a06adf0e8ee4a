import type { Connection } from '../connection';
import type { CommandContext } from '../context';
import { EXIT } from '../errors';
import { palette } from '../lib/colour';
import { scanTopics, type ScanOptions } from '../scan';
import { traceCommand } from './trace.command';

jest.mock('../scan');
jest.mock('../kafka', () => ({
  withAdmin: (_: unknown, work: (admin: unknown) => Promise<unknown>) =>
    work({ listTopics: async () => ['dev.stay-recorded'] }),
}));

describe('traceCommand', () => {
  it('should stop scanning and say it was interrupted when Ctrl-C arrives mid-scan', async () => {
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
    const tracing = traceCommand('some-id', {}, ctx);
    interrupt();
    await expect(tracing).rejects.toMatchObject({ exitCode: EXIT.interrupted });
    expect(ctx.out).not.toHaveBeenCalled();
  });
});
