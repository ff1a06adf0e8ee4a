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
  // One reaction on `work` for the whole wait, however long: racing `work` in every slice would add one
  // per slice, kept until it settles (a letter stuck for hours).
  let wake: (() => void) | undefined;
  const settle = () => {
    settled = true;
    wake?.();
  };
  void work.then(settle, settle);
  let reportAt = Date.now() + everyMs;
  while (!settled) {
    if (stopping()) throw new ConsumerStoppingError();
    if (Date.now() >= reportAt) {
      stillWaiting();
      reportAt = Date.now() + everyMs;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(SLICE_MS, reportAt - Date.now()));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  return work;
}
