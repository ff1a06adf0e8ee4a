import { HANDLING_FAILURES } from '@loyalty/contracts';
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

/** How often one event was tried, and how many of those failures were the handler's own, not the database's. */
export interface Tries {
  /** This try's number, from 1: the backoff grows with it. */
  attempt: number;
  /** Failures before this one that were not the database's (nor permanent). */
  handlerFailures: number;
}

/**
 * What to do after a failed try of a handler. Infrastructure failures (database down, lock timeouts, a
 * primary turned read-only by a failover) retry without limit: the event is fine and will apply once the
 * database is back; they do not count towards `maxAttempts` either, so an outage spends none of the
 * attempts a later failure of the handler itself is given. Permanent errors dead-letter at once with their
 * code as reason, among them an event the handler built that breaks its own contract
 * (`OUTGOING_EVENT_INVALID`, from `EventContext.publish`). Anything else is treated as a possibly-flaky
 * handler: retried with backoff, then dead-lettered as poison once `maxAttempts` of them failed.
 */
export function decideOnFailure(
  error: unknown,
  { attempt, handlerFailures }: Tries,
  settings: RetrySettings,
): FailureDecision {
  if (error instanceof PermanentEventError) return { action: 'dead-letter', reason: error.code };
  const delayMs = backoffDelay(attempt, settings);
  if (isTransientDatabaseError(error)) return { action: 'retry', delayMs };
  if (handlerFailures + 1 >= settings.maxAttempts)
    return { action: 'dead-letter', reason: HANDLING_FAILURES.handlerFailed };
  return { action: 'retry', delayMs };
}

/** Whether a failure counts towards an event's `maxAttempts`: one that is neither the database's nor permanent. */
export function isHandlerFailure(error: unknown): boolean {
  return !(error instanceof PermanentEventError) && !isTransientDatabaseError(error);
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
