import { backoffDelay, type RetrySettings } from '@loyalty/messaging';
import { isContention } from '@loyalty/persistence';

/** A few short pauses: the transaction that won goes on at once, so the next attempt seldom meets it again. */
const CONTENTION_RETRY: RetrySettings = { maxAttempts: 5, initialBackoffMs: 100, maxBackoffMs: 2_000 };

/**
 * Runs `attempt`, and again after a short pause when Postgres gave it up for another transaction's sake
 * (`attempt` must roll back what it did before it throws), saying so through `warn`; at most
 * `settings.maxAttempts` times. Any other error is thrown at once.
 */
export async function retryOnContention<T>(
  attempt: () => Promise<T>,
  {
    what,
    warn,
    settings = CONTENTION_RETRY,
  }: { what: string; warn: (message: string) => void; settings?: RetrySettings },
): Promise<T> {
  for (let attempts = 1; ; attempts++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isContention(error) || attempts >= settings.maxAttempts) throw error;
      const delayMs = backoffDelay(attempts, settings);
      warn(
        `${what} gave way to another transaction (${(error as Error).message}): attempt ${attempts + 1} of ${settings.maxAttempts} in ${delayMs} ms`,
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
