import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The ids that tie a log line, an HTTP request and the events it causes together. */
export interface CorrelationIds {
  /** Shared by everything that one original request or event set off. */
  correlationId: string;
  /** The id of the message (event or command) that directly caused the current work, when there is one. */
  causationId?: string;
}

// Ids arrive in headers and event envelopes, so they are untrusted: one with other characters is taken
// percent-encoded, which keeps log lines and metric exemplars free of injected text.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const SAFE_BYTE = /[A-Za-z0-9._:-]/;
const MAX_ID_LENGTH = 128;

/** True when `value` is safe to adopt as a correlation or causation id as it is. */
export function isValidCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && SAFE_ID.test(value);
}

/**
 * A correlation id as it can be logged: itself when it is safe, else with every UTF-8 byte other than
 * letters, digits and `._:-` percent-encoded (an upstream system's `opera/AMS01/R-1` is logged as
 * `opera%2FAMS01%2FR-1`), so the log lines of an event can be found by the id its events carry. None
 * for what is no text, empty, or longer than an envelope's id may be, before encoding or after.
 */
export function loggableCorrelationId(value: unknown): string | undefined {
  if (isValidCorrelationId(value)) return value;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) return undefined;
  const encoded = Array.from(Buffer.from(value, 'utf8'), (byte) => {
    const character = String.fromCharCode(byte);
    return byte < 0x80 && SAFE_BYTE.test(character)
      ? character
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
  // Still an id an event may carry: the events a request publishes take it as their `correlationid`.
  return encoded.length <= MAX_ID_LENGTH ? encoded : undefined;
}

/**
 * Correlation ids carried through async calls with AsyncLocalStorage, so logs and published events
 * pick them up without passing them down every function.
 */
export class CorrelationContext {
  private static readonly storage = new AsyncLocalStorage<Readonly<CorrelationIds>>();

  /**
   * Runs `fn` with the given ids as the current context. A correlation id with other characters is taken
   * percent-encoded (`loggableCorrelationId`), a missing or overlong one is replaced by a new UUID; a
   * malformed causation id is dropped.
   */
  static run<R>(ids: Partial<CorrelationIds> | undefined, fn: () => R): R {
    const correlationId = loggableCorrelationId(ids?.correlationId) ?? randomUUID();
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
