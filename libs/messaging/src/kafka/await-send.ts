import { SendNotStarted, SendUnconfirmed } from '../errors';
import { GroupCommitFull, type Enqueued } from '../group-commit';

/** A queued send's outcome, or, once `signal` aborts, why its caller stops waiting (see `ProducerPort.send`). */
export function awaitSend(queued: Enqueued<void>, signal?: AbortSignal): Promise<void> {
  const result = queued.result.catch((error: unknown) => {
    throw error instanceof GroupCommitFull ? new SendNotStarted(error) : error;
  });
  if (!signal) return result;
  return new Promise<void>((resolve, reject) => {
    const stopWaiting = () =>
      reject(queued.withdraw() ? new SendNotStarted(signal.reason) : new SendUnconfirmed(signal.reason));
    if (signal.aborted) stopWaiting();
    else signal.addEventListener('abort', stopWaiting, { once: true });
    result.then(resolve, reject).finally(() => signal.removeEventListener('abort', stopWaiting));
  });
}
