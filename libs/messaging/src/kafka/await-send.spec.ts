import { SendNotStarted, SendUnconfirmed } from '../errors';
import { GroupCommit } from '../group-commit';
import { awaitSend } from './await-send';

/** Sends one run at a time, as the producer does; each run waits until the test answers it. */
function brokerAnsweringOnDemand(maxWaiting = Number.POSITIVE_INFINITY) {
  const runs: { items: string[]; answer: () => void }[] = [];
  const requests = new GroupCommit<string, void>(
    (items) => new Promise<void>((answer) => runs.push({ items, answer })),
    1,
    () => 1,
    maxWaiting,
  );
  const started = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return runs.map((run) => run.items);
  };
  return { requests, runs, started };
}

describe('awaitSend', () => {
  it('should take a send still waiting for its turn back, never run it, and say it did not start', async () => {
    const { requests, runs, started } = brokerAnsweringOnDemand();
    const first = awaitSend(requests.enqueue(['a']), new AbortController().signal);
    const giveUp = new AbortController();
    const second = awaitSend(requests.enqueue(['b']), giveUp.signal);
    expect(await started()).toEqual([['a']]);

    giveUp.abort(new Error('no answer in time'));
    await expect(second).rejects.toBeInstanceOf(SendNotStarted);
    runs[0].answer();
    await first;

    expect(await started()).toEqual([['a']]);
  });

  it('should say a send that left may still land when its caller stops waiting, and let it go on', async () => {
    const { requests, runs, started } = brokerAnsweringOnDemand();
    const giveUp = new AbortController();
    const sending = awaitSend(requests.enqueue(['a']), giveUp.signal);
    expect(await started()).toEqual([['a']]);

    giveUp.abort(new Error('no answer in time'));

    await expect(sending).rejects.toBeInstanceOf(SendUnconfirmed);
    runs[0].answer();
    const next = awaitSend(requests.enqueue(['b']));
    expect(await started()).toEqual([['a'], ['b']]);
    runs[1].answer();
    await next;
  });

  it('should resolve when the broker answers before the caller stops waiting', async () => {
    const { requests, runs, started } = brokerAnsweringOnDemand();
    const giveUp = new AbortController();
    const sending = awaitSend(requests.enqueue(['a']), giveUp.signal);
    await started();

    runs[0].answer();

    await expect(sending).resolves.toBeUndefined();
    giveUp.abort();
  });

  it('should refuse a send as not started when too much already waits', async () => {
    const { requests, runs, started } = brokerAnsweringOnDemand(1);
    const first = awaitSend(requests.enqueue(['a']));
    await started();
    const waiting = awaitSend(requests.enqueue(['b']));

    await expect(awaitSend(requests.enqueue(['c']))).rejects.toBeInstanceOf(SendNotStarted);

    runs[0].answer();
    await first;
    await started();
    runs[1].answer();
    await waiting;
  });
});
