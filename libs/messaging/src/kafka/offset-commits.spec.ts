import { OffsetCommits, partitionKey, type PartitionOffset } from './offset-commits';

describe('OffsetCommits', () => {
  let now: number;
  let sent: PartitionOffset[][];
  let failNext: boolean;
  let flushErrors: unknown[];
  let commits: OffsetCommits;

  beforeEach(() => {
    jest.useFakeTimers();
    now = 10_000;
    sent = [];
    failNext = false;
    flushErrors = [];
    commits = new OffsetCommits(
      async (offsets) => {
        if (failNext) {
          failNext = false;
          throw new Error('REBALANCE_IN_PROGRESS');
        }
        sent.push(offsets);
      },
      1_000,
      (error) => flushErrors.push(error),
      () => now,
    );
  });

  afterEach(() => jest.useRealTimers());

  const at = (topic: string, partition: number, offset: string): PartitionOffset => ({
    topic,
    partition,
    offset,
  });

  it('should commit the first offset at once, then gather the next ones into one commit an interval later', async () => {
    await commits.add(at('stays', 0, '5'));
    expect(sent).toEqual([[at('stays', 0, '5')]]);

    now += 100;
    await commits.add(at('stays', 0, '9'));
    await commits.add(at('stays', 1, '3'));
    await commits.add(at('points', 0, '2'));
    expect(sent).toHaveLength(1);

    now += 900;
    await jest.advanceTimersByTimeAsync(900);
    expect(sent).toEqual([
      [at('stays', 0, '5')],
      [at('stays', 0, '9'), at('stays', 1, '3'), at('points', 0, '2')],
    ]);
  });

  it('should commit at once when the partition is being taken away', async () => {
    await commits.add(at('stays', 0, '5'));
    await commits.add(at('stays', 1, '7'));
    await commits.add(at('stays', 0, '6'), true);
    expect(sent).toEqual([[at('stays', 0, '5')], [at('stays', 1, '7'), at('stays', 0, '6')]]);
  });

  it('should commit what is pending on flush, and nothing when nothing is', async () => {
    await commits.add(at('stays', 0, '5'));
    await commits.add(at('stays', 0, '8'));
    await commits.flush();
    await commits.flush();
    expect(sent).toEqual([[at('stays', 0, '5')], [at('stays', 0, '8')]]);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(sent).toHaveLength(2);
  });

  it('should keep a failed commit pending, behind any newer offset, and retry it on the timer', async () => {
    failNext = true;
    await commits.add(at('stays', 0, '5'));
    await commits.add(at('stays', 1, '4'));
    failNext = true;
    now += 1_000;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(flushErrors).toHaveLength(2);
    await commits.add(at('stays', 0, '9'));

    now += 1_000;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(sent).toEqual([[at('stays', 0, '9'), at('stays', 1, '4')]]);
  });

  it('should commit each offset as it comes once the member is about to leave, and nothing after it has', async () => {
    await commits.add(at('stays', 0, '1'));
    commits.commitEachAtOnce();
    await commits.add(at('stays', 0, '2'));
    await commits.add(at('stays', 1, '3'));
    expect(sent).toEqual([[at('stays', 0, '1')], [at('stays', 0, '2')], [at('stays', 1, '3')]]);

    commits.stop();
    await commits.add(at('stays', 0, '4'));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(sent).toHaveLength(3);
  });

  it('should stop retrying a failed timed commit once stopped, so no timer outlives the consumer', async () => {
    await commits.add(at('stays', 0, '1'));
    await commits.add(at('stays', 0, '2'));
    failNext = true;
    now += 1_000;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(flushErrors).toHaveLength(1);
    commits.stop();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('should forget what is pending for partitions this member no longer reads', async () => {
    await commits.add(at('stays', 0, '1'));
    await commits.add(at('stays', 0, '5'));
    await commits.add(at('stays', 1, '7'));
    commits.keepOnly(new Set([partitionKey('stays', 1)]));
    await commits.flush();
    expect(sent).toEqual([[at('stays', 0, '1')], [at('stays', 1, '7')]]);
  });

  it('should retry a failed commit made on adding, though the partition gets nothing more', async () => {
    // The first event after a quiet spell commits at once; the coordinator is moving and refuses it.
    // Not thrown into the batch: kafkajs would stop the consumer for good on it.
    failNext = true;
    await commits.add(at('stays', 0, '5'));
    expect(flushErrors).toEqual([new Error('REBALANCE_IN_PROGRESS')]);

    now += 1_000;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(sent).toEqual([[at('stays', 0, '5')]]);
  });

  describe('one commit at a time', () => {
    let answers: { resolve: () => void; reject: (error: Error) => void }[];
    let committed: string[];
    let racing: OffsetCommits;

    beforeEach(() => {
      answers = [];
      committed = [];
      racing = new OffsetCommits(
        (offsets) =>
          new Promise<void>((resolve, reject) =>
            answers.push({
              resolve: () => {
                committed.push(...offsets.map((o) => o.offset));
                resolve();
              },
              reject,
            }),
          ),
        1_000,
        (error) => flushErrors.push(error),
        () => now,
      );
    });

    it('should send a newer offset only once the older commit is answered, so kafkajs retrying the older cannot land it last', async () => {
      const older = racing.add(at('stays', 0, '101'));
      now += 1_000;
      const newer = racing.add(at('stays', 0, '201'));
      await jest.advanceTimersByTimeAsync(0);
      expect(answers).toHaveLength(1);
      // The older request, retried by kafkajs across a coordinator move, is answered at last.
      answers[0].resolve();
      await older;
      await jest.advanceTimersByTimeAsync(0);
      expect(answers).toHaveLength(2);
      answers[1].resolve();
      await newer;
      expect(committed).toEqual(['101', '201']);
    });

    it('should not commit a partition back when the older commit fails while a newer offset waits', async () => {
      const older = racing.add(at('stays', 0, '101'));
      now += 1_000;
      const newer = racing.add(at('stays', 0, '201'));
      answers[0].reject(new Error('REQUEST_TIMED_OUT'));
      await older;
      await jest.advanceTimersByTimeAsync(0);
      answers[1].resolve();
      await newer;
      expect(flushErrors).toEqual([new Error('REQUEST_TIMED_OUT')]);

      now += 1_000;
      await jest.advanceTimersByTimeAsync(1_000);
      void racing.flush(); // would ask the broker a third time if 101 were pending again
      await jest.advanceTimersByTimeAsync(0);
      expect(answers).toHaveLength(2);
      expect(committed).toEqual(['201']);
    });
  });
});
