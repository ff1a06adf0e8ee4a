import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function deferred() {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  it('should not start a run while the previous one is still in flight', async () => {
    const slow = deferred();
    const work = jest.fn(() => slow.promise);
    const task = new PeriodicTask('work', work, { error: jest.fn() });
    task.start(100);
    await jest.advanceTimersByTimeAsync(350);
    expect(work).toHaveBeenCalledTimes(1);
    slow.resolve();
    await jest.advanceTimersByTimeAsync(100);
    expect(work).toHaveBeenCalledTimes(2);
    await task.stop();
  });

  it('should log a failed run with its description and keep running', async () => {
    const error = jest.fn();
    const work = jest.fn().mockRejectedValueOnce(new Error('database gone')).mockResolvedValue(undefined);
    const task = new PeriodicTask('SLA scan', work, { error });
    task.start(100);
    await jest.advanceTimersByTimeAsync(200);
    expect(error).toHaveBeenCalledWith('SLA scan failed: Error: database gone');
    expect(work).toHaveBeenCalledTimes(2);
    await task.stop();
  });

  it('should wait in stop for the run in flight, and run no more afterwards', async () => {
    const slow = deferred();
    const work = jest.fn(() => slow.promise);
    const task = new PeriodicTask('work', work, { error: jest.fn() });
    task.start(100);
    await jest.advanceTimersByTimeAsync(100);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    slow.resolve();
    await stopping;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('should stay off when the interval is 0', async () => {
    const work = jest.fn().mockResolvedValue(undefined);
    const task = new PeriodicTask('work', work, { error: jest.fn() });
    task.start(0);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(work).not.toHaveBeenCalled();
  });
});
