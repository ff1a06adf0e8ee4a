import type { Connection } from '../connection';
import type { CommandContext } from '../context';
import { EXIT } from '../errors';
import { withAdmin } from '../kafka';
import { decodeRecord } from '../lib/event-record';
import { scanTopics } from '../scan';
import { palette } from '../lib/colour';
import { tailCommand, type TailOptions } from './tail.command';

jest.mock('../scan');
jest.mock('../kafka', () => ({
  ...jest.requireActual<object>('../kafka'),
  withAdmin: jest.fn(async () => undefined),
}));

const NOW = Date.parse('2026-11-23T04:00:00.000Z');

const ctx: CommandContext = {
  connection: { prefix: 'dev.' } as Connection,
  paint: palette(false),
  out: jest.fn(),
  err: jest.fn(),
  outDrained: () => undefined,
  stopped: new Promise(() => undefined),
};

const tail = (options: TailOptions) => tailCommand(['stay-recorded'], options, ctx);

describe('tail option checks', () => {
  let clock: jest.SpyInstance;
  beforeEach(() => {
    jest.mocked(withAdmin).mockClear();
    clock = jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });
  afterEach(() => clock.mockRestore());

  it.each([
    ['a duration longer ago than --since', { since: '10m', until: '1h' }],
    ['a time before --since', { since: '2026-11-23T03:00:00Z', until: '2026-11-23T02:00:00Z' }],
    ['the same time as --since', { since: '2026-11-23T03:00:00Z', until: '2026-11-23T03:00:00Z' }],
  ])('should refuse an --until at %s, before connecting', async (_, options) => {
    await expect(tail(options)).rejects.toMatchObject({
      exitCode: EXIT.usage,
      message: expect.stringMatching(/^--until .* is not after --since .*: the window is empty$/),
    });
    expect(withAdmin).not.toHaveBeenCalled();
  });

  it('should refuse an --until in the future and point to following instead, before connecting', async () => {
    await expect(tail({ since: '1h', until: '2026-11-23T05:00:00Z' })).rejects.toMatchObject({
      exitCode: EXIT.usage,
      message:
        '--until 2026-11-23T05:00:00Z (2026-11-23T05:00:00.000Z) is in the future: a window ends now at the latest',
      hints: expect.arrayContaining([
        'to print events as they arrive, leave out --until (follow mode; Ctrl-C to stop)',
      ]),
    });
    expect(withAdmin).not.toHaveBeenCalled();
  });

  it('should refuse --from-beginning with --since, which it would drop with its check of --until, before connecting', async () => {
    await expect(tail({ fromBeginning: true, since: '1h', until: '2h' })).rejects.toMatchObject({
      exitCode: EXIT.usage,
      message: '--from-beginning and --since both say where to start: give one',
    });
    expect(withAdmin).not.toHaveBeenCalled();
  });

  it('should refuse a type that is no event type, suggesting the close ones, before connecting', async () => {
    await expect(tail({ type: ['stay-recorded', 'Stay-Recorded'] })).rejects.toMatchObject({
      exitCode: EXIT.usage,
      message: 'unknown event type "Stay-Recorded"',
      hints: expect.arrayContaining([expect.stringMatching(/^did you mean: stay-recorded\b/)]),
    });
    expect(withAdmin).not.toHaveBeenCalled();
  });

  it('should read a past window of known types', async () => {
    await tail({ since: '1h', until: '10m', type: ['stay-recorded', 'points-earned'] });
    await tail({ fromBeginning: true, until: '2026-11-23T04:00:00Z' });
    expect(withAdmin).toHaveBeenCalledTimes(2);
  });
});

describe('tail output', () => {
  it('should hold the scan while stdout is full, until its reader catches up', async () => {
    let catchUp!: () => void;
    const pagerFull = new Promise<void>((resolve) => (catchUp = resolve));
    jest
      .mocked(withAdmin)
      .mockImplementationOnce(async (_connection, work) =>
        work({ listTopics: async () => ['dev.stay-recorded'] } as never),
      );
    let handled: unknown;
    jest.mocked(scanTopics).mockImplementationOnce(async (_connection, _admin, options) => {
      const event = { id: 'e-1', type: 'stay-recorded' };
      handled = options.onRecord(
        decodeRecord('dev.stay-recorded', 0, {
          offset: '0',
          timestamp: '0',
          key: null,
          value: Buffer.from(JSON.stringify(event)),
        }),
      );
      return { interrupted: false };
    });
    await tailCommand(
      ['stay-recorded'],
      { fromBeginning: true, exit: true, json: true },
      {
        ...ctx,
        outDrained: () => pagerFull,
      },
    );
    let readOn = false;
    void Promise.resolve(handled).then(() => (readOn = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(readOn).toBe(false);
    catchUp();
    await new Promise((resolve) => setImmediate(resolve));
    expect(readOn).toBe(true);
  });
});

describe('tail --where', () => {
  it('should say when a path was on none of the events read, with the close names they had', async () => {
    jest
      .mocked(withAdmin)
      .mockImplementationOnce(async (_connection, work) =>
        work({ listTopics: async () => ['dev.stay-recorded'] } as never),
      );
    jest.mocked(scanTopics).mockImplementationOnce(async (_connection, _admin, options) => {
      const event = { id: 'e-1', type: 'stay-recorded', data: { nights: 4 } };
      const value = Buffer.from(JSON.stringify(event));
      await options.onRecord(
        decodeRecord('dev.stay-recorded', 0, { offset: '0', timestamp: '0', key: null, value }),
      );
      return { interrupted: false };
    });
    const err: string[] = [];
    await tailCommand(
      ['stay-recorded'],
      { fromBeginning: true, exit: true, where: 'data.nigths >= 3' },
      {
        ...ctx,
        err: (line) => err.push(line),
      },
    );
    expect(err).toEqual([
      '--where reads data.nigths, which none of the 1 event(s) read has; did you mean: data.nights?',
    ]);
  });
});
