/**
 * Errors worth retrying because the database, not the data, is the problem: connections refused or
 * dropped, DNS not answering yet, the server shutting down or turned read-only by a failover, serialization
 * failures, deadlocks and lock timeouts.
 *
 * Not a cancelled statement (57014: `statement_timeout`, or an operator's `pg_cancel_backend`): the same
 * statement on the same data is likely to run as long again, so retrying it without limit would hold its
 * partition for ever. Consumers count it as the handler's failure (dead-lettered after its attempts, and
 * replayable once the cause is mended); see `isCancelledStatement` for callers that answer it otherwise.
 */
const TRANSIENT_SQLSTATE_PREFIXES = ['08', '53'];
// Of class 57P: admin and crash shutdown, cannot connect now, idle session timeout. Not 57P04 (database
// dropped), which no retry fixes.
const DATABASE_DROPPED = '57P04';
// 25006: a write reached a primary a failover has just turned read-only (a pooled connection, stale DNS).
const TRANSIENT_SQLSTATES = new Set(['25006', '40001', '40P01', '55P03', '57P01', '57P02', '57P03', '57P05']);
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
]);
const TRANSIENT_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'terminating connection',
  'the database system is',
  'Cannot use a pool after calling end',
  // pg refuses a client whose connection already ended; each retry takes a fresh client from the pool.
  'Client was closed and is not queryable',
];

export function isTransientDatabaseError(error: unknown): boolean {
  return isTransient(error, 0);
}

interface WrappingError {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

// Deep enough for TypeORM's QueryFailedError around a pg error inside an error of the caller's.
const MAX_WRAPPING_DEPTH = 5;

/** The error, then each error it wraps (TypeORM's `driverError`, else `cause`), with its depth. */
function* unwrapped(error: unknown, startDepth = 0): Generator<[WrappingError, number]> {
  for (let current: unknown = error, depth = startDepth; current && depth < MAX_WRAPPING_DEPTH; depth++) {
    const candidate = current as WrappingError;
    yield [candidate, depth];
    current = candidate.driverError ?? candidate.cause;
  }
}

/** Follows what the error wraps and an AggregateError's `errors`. */
function isTransient(error: unknown, startDepth: number): boolean {
  for (const [candidate, depth] of unwrapped(error, startDepth)) {
    const code = typeof candidate.code === 'string' ? candidate.code : undefined;
    // Before the message, which Postgres words as for a shutdown: "terminating connection due to conflict
    // with recovery" (a standby whose database was dropped).
    if (code === DATABASE_DROPPED) return false;
    if (code && (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NODE_CODES.has(code))) return true;
    if (code && code.length === 5 && TRANSIENT_SQLSTATE_PREFIXES.some((prefix) => code.startsWith(prefix)))
      return true;
    const message = typeof candidate.message === 'string' ? candidate.message : '';
    if (TRANSIENT_MESSAGES.some((text) => message.includes(text))) return true;
    // An AggregateError, e.g. from connecting to each address `localhost` resolves to.
    const { errors } = candidate;
    if (Array.isArray(errors) && errors.some((inner) => isTransient(inner, depth + 1))) return true;
  }
  return false;
}

// Five digits and capitals, at least one a digit: every SQLSTATE, and no Node code (EPIPE) nor a caller's.
const SQLSTATE = /^(?=.*\d)[0-9A-Z]{5}$/;

/**
 * The code Postgres answered a failed statement with (its SQLSTATE): the first along what the error
 * wraps, as a pg error, TypeORM's `QueryFailedError` (which copies the driver's fields) or an error whose
 * `cause` is one. A wrapper's own code (a Node one, or a caller's) does not hide it.
 */
export function sqlStateOf(error: unknown): string | undefined {
  for (const [{ code }] of unwrapped(error)) if (typeof code === 'string' && SQLSTATE.test(code)) return code;
  return undefined;
}

/**
 * Postgres cancelled the statement: it ran past `statement_timeout`, or someone cancelled it. Not an outage
 * (see `isTransientDatabaseError`), though an HTTP caller may still be told to come back later.
 */
export function isCancelledStatement(error: unknown): boolean {
  return sqlStateOf(error) === '57014';
}

/**
 * Deadlock detected or serialization failure: Postgres gave the transaction up for another's sake, and
 * running it again mends it (unlike a lock timeout or a dropped connection, which may need longer).
 */
export function isContention(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state === '40P01' || state === '40001';
}
