import type { Delivery } from '@loyalty/simulator';

const DAY_MS = 86_400_000;

/** The most events one send carries: the ingress takes batches of up to 500. */
export const MAX_BATCH = 500;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const REAL_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface TimedBatch {
  deliveries: Delivery[];
  /** The simulated moment the batch's last delivery was sent by its property system. */
  simulatedAt: string;
}

/** Backfill: every delivery at once, in order, as fast as the platform takes them. */
export function* inBatches(deliveries: readonly Delivery[]): Generator<TimedBatch> {
  for (let i = 0; i < deliveries.length; i += MAX_BATCH) {
    const batch = deliveries.slice(i, i + MAX_BATCH);
    yield { deliveries: batch, simulatedAt: batch[batch.length - 1].sentAt };
  }
}

/**
 * A compressed clock: `daysPerSecond` simulated days pass each real second, and each delivery goes out
 * when the clock reaches the moment its property system sent it. The simulator's order is kept (a
 * delivery it holds back to arrive out of order goes after the one before it, never earlier), and
 * deliveries that fall due together share a batch.
 */
export async function* onCompressedClock(
  deliveries: readonly Delivery[],
  daysPerSecond: number,
  clock: Clock = REAL_CLOCK,
): AsyncGenerator<TimedBatch> {
  if (!(daysPerSecond > 0)) throw new Error(`days per second must be above 0 (got ${daysPerSecond})`);
  if (deliveries.length === 0) return;
  const msPerSimulatedMs = 1_000 / (daysPerSecond * DAY_MS);
  const origin = Date.parse(deliveries[0].sentAt);
  const startedAt = clock.now();
  let due = origin;
  const dueAt = deliveries.map((delivery) => (due = Math.max(due, Date.parse(delivery.sentAt))));
  for (let i = 0; i < deliveries.length;) {
    const wait = startedAt + (dueAt[i] - origin) * msPerSimulatedMs - clock.now();
    if (wait > 0) await clock.sleep(wait);
    const reached = origin + (clock.now() - startedAt) / msPerSimulatedMs;
    let end = i + 1;
    while (end < deliveries.length && end - i < MAX_BATCH && dueAt[end] <= reached) end++;
    yield { deliveries: deliveries.slice(i, end), simulatedAt: new Date(dueAt[end - 1]).toISOString() };
    i = end;
  }
}
