import { ConsumerStoppingError } from '../errors';

// How soon a wait notices that its consumer is stopping or losing the partition.
const SLICE_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits `ms` in short slices, so a shutdown or a rebalance is not held up: `ConsumerStoppingError` once `stopping()`. */
export async function pause(ms: number, stopping: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (stopping()) throw new ConsumerStoppingError();
    await sleep(Math.min(SLICE_MS, until - Date.now()));
  }
}

/**
 * `work`'s outcome, waited for in short slices like `pause`; `stillWaiting` is called each time
 * `everyMs` passes without one. Once `stopping()` it throws `ConsumerStoppingError` and leaves `work`
 * running: stopping it, if it can be, is the caller's part.
 */
export async function awaitUnlessStopping<T>(
  work: Promise<T>,
  stopping: () => boolean,
  everyMs: number,
  stillWaiting: () => void,
): Promise<T> {
  let settled = false;
  const outcome = work.then(
    () => (settled = true),
    () => (settled = true),
  );
  let reportAt = Date.now() + everyMs;
  while (!settled) {
    if (stopping()) throw new ConsumerStoppingError();
    if (Date.now() >= reportAt) {
      stillWaiting();
      reportAt = Date.now() + everyMs;
    }
    await Promise.race([outcome, sleep(Math.min(SLICE_MS, reportAt - Date.now()))]);
  }
  return work;
}
