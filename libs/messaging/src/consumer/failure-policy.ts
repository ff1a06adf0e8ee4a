import { isTransientDatabaseError } from '@loyalty/persistence';
import { PermanentEventError } from '../errors';

export interface RetrySettings {
  /** Attempts for an event whose handler keeps failing, before it is dead-lettered. */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export type FailureDecision =
  { action: 'retry'; delayMs: number } | { action: 'dead-letter'; reason: string };

/**
 * What to do after the `attempt`-th failure of a handler. Infrastructure failures (database down,
 * lock timeouts) retry without limit: the event is fine and will apply once the database is back.
 * Permanent errors dead-letter at once with their code as reason, among them an event the handler built
 * that breaks its own contract (`OUTGOING_EVENT_INVALID`, from `EventContext.publish`). Anything else is
 * treated as a possibly-flaky handler: retried with backoff, then dead-lettered as poison.
 */
export function decideOnFailure(error: unknown, attempt: number, settings: RetrySettings): FailureDecision {
  if (error instanceof PermanentEventError) return { action: 'dead-letter', reason: error.code };
  const delayMs = backoffDelay(attempt, settings);
  if (isTransientDatabaseError(error)) return { action: 'retry', delayMs };
  if (attempt >= settings.maxAttempts) return { action: 'dead-letter', reason: 'HANDLER_FAILED' };
  return { action: 'retry', delayMs };
}

/** Exponential backoff with full jitter, capped. */
export function backoffDelay(
  attempt: number,
  settings: RetrySettings,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(settings.maxBackoffMs, settings.initialBackoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
