/**
 * Whether a broker's answer can change on the next ask: a partition without a leader yet (just after its
 * topic was created), a coordinator still loading, a group rebalancing. kafkajs marks such protocol
 * errors retriable and hands them on, wrapped, once its own few retries ran out. A connection failure is
 * not one: kafkajs has retried it already, and asking again only delays saying the broker is unreachable.
 */
export function isTransientBrokerAnswer(error: unknown): boolean {
  for (let at = error; at instanceof Error; at = (at as { cause?: unknown }).cause) {
    const { type, retriable } = at as { type?: unknown; retriable?: unknown };
    if (typeof type === 'string' && retriable === true) return true;
  }
  return false;
}

/** Runs `ask` again, a few times with a growing pause, while the broker answers with a transient error. */
export async function askAgainWhileTransient<T>(ask: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ask();
    } catch (error) {
      if (attempt >= attempts || !isTransientBrokerAnswer(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}
