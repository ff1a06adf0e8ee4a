import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The ids that tie a log line, an HTTP request and the events it causes together. */
export interface CorrelationIds {
  /** Shared by everything that one original request or event set off. */
  correlationId: string;
  /** The id of the message (event or command) that directly caused the current work, when there is one. */
  causationId?: string;
}

// Ids arrive in headers and event envelopes, so they are untrusted: anything else is replaced, which
// keeps log lines and metric exemplars free of injected text.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** True when `value` is safe to adopt as a correlation or causation id. */
export function isValidCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && SAFE_ID.test(value);
}

/**
 * Correlation ids carried through async calls with AsyncLocalStorage, so logs and published events
 * pick them up without passing them down every function.
 */
export class CorrelationContext {
  private static readonly storage = new AsyncLocalStorage<Readonly<CorrelationIds>>();

  /**
   * Runs `fn` with the given ids as the current context. A missing or malformed correlation id is
   * replaced by a new UUID; a malformed causation id is dropped.
   */
  static run<R>(ids: Partial<CorrelationIds> | undefined, fn: () => R): R {
    const correlationId = isValidCorrelationId(ids?.correlationId) ? ids.correlationId : randomUUID();
    const context: CorrelationIds = { correlationId };
    if (isValidCorrelationId(ids?.causationId)) context.causationId = ids.causationId;
    return CorrelationContext.storage.run(Object.freeze(context), fn);
  }

  /** The ids of the current context, or undefined outside any `run`. */
  static current(): Readonly<CorrelationIds> | undefined {
    return CorrelationContext.storage.getStore();
  }

  /** The current correlation id, or undefined outside any `run`. */
  static correlationId(): string | undefined {
    return CorrelationContext.storage.getStore()?.correlationId;
  }
}
