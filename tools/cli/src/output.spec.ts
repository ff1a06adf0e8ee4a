import { Writable } from 'node:stream';
import { lineOutput } from './output';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('line output', () => {
  it('should stop the command, and drop later lines without throwing, when the reader has gone away', async () => {
    const closedPipe = new Writable({
      write: (_chunk, _encoding, callback) =>
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })),
    });
    const stop = jest.fn();
    const output = lineOutput(closedPipe, stop, new Promise(() => undefined));
    output.write('replayed points-earned.dlq:0:1');
    await tick();
    expect(stop).toHaveBeenCalled();
    expect(() => output.write('replayed points-earned.dlq:0:2')).not.toThrow();
    expect(output.drained()).toBeUndefined();
  });

  it('should say when a slow reader has caught up, and not wait while the stream takes more', async () => {
    const pending: (() => void)[] = [];
    const pager = new Writable({
      highWaterMark: 16,
      write: (_chunk, _encoding, callback) => pending.push(callback),
    });
    const output = lineOutput(pager, jest.fn(), new Promise(() => undefined));
    expect(output.drained()).toBeUndefined();
    output.write('a line longer than sixteen bytes');
    let caughtUp = false;
    void output.drained()?.then(() => (caughtUp = true));
    await tick();
    expect(caughtUp).toBe(false);
    pending.shift()?.();
    await tick();
    expect(caughtUp).toBe(true);
  });

  it('should stop waiting for a reader that never catches up once the command is stopped', async () => {
    const stuck = new Writable({ highWaterMark: 1, write: () => undefined });
    let stop!: () => void;
    const output = lineOutput(stuck, jest.fn(), new Promise((resolve) => (stop = resolve)));
    output.write('x');
    const waiting = output.drained();
    stop();
    await expect(waiting).resolves.toBeUndefined();
  });
});
