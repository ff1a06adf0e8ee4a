import { ConsumerStoppingError } from '../errors';
import { awaitUnlessStopping } from './stoppable-wait';

/** Counts the reactions added to it and to the promises derived from it. */
class CountedPromise<T> extends Promise<T> {
  static reactions = 0;

  override then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    CountedPromise.reactions++;
    return super.then(onFulfilled, onRejected);
  }
}

describe('awaitUnlessStopping', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    CountedPromise.reactions = 0;
  });
  afterEach(() => jest.useRealTimers());

  it('should report each interval and add no reaction to the work per slice, however long it waits', async () => {
    let finish!: (value: string) => void;
    const work = new CountedPromise<string>((resolve) => (finish = resolve));
    const reports: number[] = [];

    const waiting = awaitUnlessStopping(
      work,
      () => false,
      1_000,
      () => reports.push(Date.now()),
    );
    await jest.advanceTimersByTimeAsync(10_000);
    const reactionsWhileWaiting = CountedPromise.reactions;
    await jest.advanceTimersByTimeAsync(10_000);

    expect(reports).toHaveLength(20);
    expect(CountedPromise.reactions).toBe(reactionsWhileWaiting);
    finish('written');
    await expect(waiting).resolves.toBe('written');
  });

  it('should return as soon as the work settles, without waiting for the slice to end', async () => {
    let fail!: (error: Error) => void;
    const work = new Promise<never>((_, reject) => (fail = reject));
    const waiting = awaitUnlessStopping(
      work,
      () => false,
      60_000,
      () => undefined,
    );
    const outcome = expect(waiting).rejects.toThrow('refused');

    fail(new Error('refused'));
    await outcome;
    expect(jest.getTimerCount()).toBe(0);
  });

  it('should stop waiting once the consumer is stopping, leaving the work to its caller', async () => {
    let stopping = false;
    const waiting = awaitUnlessStopping(
      new Promise(() => undefined),
      () => stopping,
      60_000,
      () => undefined,
    );
    const outcome = expect(waiting).rejects.toBeInstanceOf(ConsumerStoppingError);

    stopping = true;
    await jest.advanceTimersByTimeAsync(250);
    await outcome;
  });
});
