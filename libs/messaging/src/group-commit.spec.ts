import { GroupCommit, GroupCommitFull, GroupCommitWithdrawn } from './group-commit';

/** A run the test finishes by hand, so it can submit more while one is in flight. */
function controlledRuns() {
  const runs: { items: number[]; finish(): void; fail(error: Error): void }[] = [];
  const run = (items: number[]) =>
    new Promise<number>((resolve, reject) => {
      runs.push({ items, finish: () => resolve(items.length), fail: reject });
    });
  return { runs, run };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('should run what is submitted in one turn together, and at once when nothing is in flight', async () => {
    const { runs, run } = controlledRuns();
    const group = new GroupCommit(run, 100);
    const first = group.submit([1, 2]);
    const second = group.submit([3]);
    await settle();
    expect(runs.map((r) => r.items)).toEqual([[1, 2, 3]]);
    runs[0].finish();
    await expect(Promise.all([first, second])).resolves.toEqual([3, 3]);
  });

  it('should gather what arrives during a run into the next run', async () => {
    const { runs, run } = controlledRuns();
    const group = new GroupCommit(run, 100);
    const first = group.submit([1]);
    await settle();
    const later = [group.submit([2]), group.submit([3, 4])];
    await settle();
    expect(runs).toHaveLength(1);
    runs[0].finish();
    await first;
    await settle();
    expect(runs.map((r) => r.items)).toEqual([[1], [2, 3, 4]]);
    runs[1].finish();
    await expect(Promise.all(later)).resolves.toEqual([3, 3]);
  });

  it('should keep a run within its size, leaving the rest to the run after', async () => {
    const { runs, run } = controlledRuns();
    const group = new GroupCommit(run, 3);
    const submitted = [group.submit([1, 2]), group.submit([3, 4]), group.submit([5])];
    await settle();
    runs[0].finish();
    await settle();
    runs[1].finish();
    await Promise.all(submitted);
    expect(runs.map((r) => r.items)).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it('should hand a failed run its error to every submission in it, and go on with the next', async () => {
    const { runs, run } = controlledRuns();
    const group = new GroupCommit(run, 100);
    const failing = [group.submit([1]), group.submit([2])];
    await settle();
    const next = group.submit([3]);
    runs[0].fail(new Error('deadlock detected'));
    await expect(failing[0]).rejects.toThrow('deadlock detected');
    await expect(failing[1]).rejects.toThrow('deadlock detected');
    await settle();
    runs[1].finish();
    await expect(next).resolves.toBe(1);
  });

  it('should measure a run with sizeOf when given one, and run an oversized submission alone', async () => {
    const { runs, run } = controlledRuns();
    const group = new GroupCommit(run, 10, (item: number) => item);
    const submitted = [
      group.submit([4]),
      group.submit([5]),
      group.submit([2]),
      group.submit([30]),
      group.submit([1]),
    ];
    for (let i = 0; i < 4; i++) {
      await settle();
      runs[i].finish();
    }
    await Promise.all(submitted);
    expect(runs.map((r) => r.items)).toEqual([[4, 5], [2], [30], [1]]);
  });

  it('should never run a submission withdrawn while it waits, and run the rest without it', async () => {
    const { runs, run } = controlledRuns();
    const group = new GroupCommit(run, 100);
    const first = group.enqueue([1]);
    await settle();
    const withdrawn = group.enqueue([2]);
    const kept = group.enqueue([3]);

    expect(withdrawn.withdraw()).toBe(true);
    await expect(withdrawn.result).rejects.toBeInstanceOf(GroupCommitWithdrawn);
    runs[0].finish();
    await first.result;
    await settle();
    runs[1].finish();

    await expect(kept.result).resolves.toBe(1);
    expect(runs.map((r) => r.items)).toEqual([[1], [3]]);
  });

  it("should not withdraw a submission whose run has started, and give it the run's result", async () => {
    const { runs, run } = controlledRuns();
    const group = new GroupCommit(run, 100);
    const started = group.enqueue([1, 2]);
    await settle();

    expect(started.withdraw()).toBe(false);
    runs[0].finish();

    await expect(started.result).resolves.toBe(2);
  });

  it('should run nothing when everything submitted in a turn is withdrawn, and run what comes later', async () => {
    const { runs, run } = controlledRuns();
    const group = new GroupCommit(run, 100);
    group.enqueue([1]).withdraw();
    await settle();
    expect(runs).toHaveLength(0);

    const later = group.submit([2]);
    await settle();
    runs[0].finish();

    await expect(later).resolves.toBe(1);
  });

  it('should refuse at once a submission that would take what waits past the limit, and take it again once there is room', async () => {
    const { runs, run } = controlledRuns();
    const group = new GroupCommit(run, 100, (item: number) => item, 10);
    const inFlight = group.submit([50]);
    await settle();
    const waiting = group.enqueue([6]);

    await expect(group.submit([5])).rejects.toBeInstanceOf(GroupCommitFull);
    waiting.withdraw();
    const fits = group.submit([5]);
    runs[0].finish();
    await inFlight;
    await settle();
    runs[1].finish();

    await expect(fits).resolves.toBe(1);
    expect(runs.map((r) => r.items)).toEqual([[50], [5]]);
  });

  it('should queue a lone submission larger than the waiting limit, so it is not refused for good', async () => {
    const { runs, run } = controlledRuns();
    const group = new GroupCommit(run, 100, (item: number) => item, 10);
    const inFlight = group.submit([1]);
    await settle();

    const large = group.submit([30]);
    runs[0].finish();
    await inFlight;
    await settle();
    runs[1].finish();

    await expect(large).resolves.toBe(1);
  });
});
