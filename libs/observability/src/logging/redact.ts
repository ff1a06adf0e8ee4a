export const REDACTED = '[REDACTED]';

/**
 * Keys whose values never reach a log line, at any depth: the guest's personal data as the contracts
 * name it (`GuestIdentityDto`), older spellings of names, and credentials. Matched ignoring case, `_`
 * and `-`, so `given_name` and `Set-Cookie` count too. Opaque ids (`guestId`, `loyaltyNumber`) stay:
 * support needs them to find a guest, and they say nothing without the profiles database.
 */
export const REDACTED_KEYS: readonly string[] = [
  'email',
  'phone',
  'givenName',
  'familyName',
  'firstName',
  'lastName',
  'dateOfBirth',
  'externalProfileRef',
  // A database driver's error: the statement's bound values (a complaint's description, a survey comment,
  // a name) and Postgres's excerpt of the row or key that failed (`Failing row contains (...)`). The
  // statement itself, its code, table and constraint stay: they say what failed.
  'parameters',
  'detail',
  'password',
  'token',
  'authorization',
  'cookie',
  'setCookie',
];

// Contacts written into text (a message, a Postgres error's `detail`) have no key to match: found by their
// shape instead. A phone counts in international form, as the services store it (`+31 20 123 4567`), and
// standing alone, so the digits of ids, offsets, counts and `1.0.0+2013…` versions stay readable.
// The text is a serialized JSON line: a match never starts inside an escape (`\n`, `\u0001`), which it
// would break. Every part is bounded (as RFC 5321 bounds them), so a long run of letters without an `@`
// costs linear time, not quadratic.
const OUTSIDE_AN_ESCAPE = String.raw`(?<!\\u[0-9A-Fa-f]{0,3})(?<!\\)`;
// Addresses as the services accept them: letters of any script and RFC 5322's specials before the `@`
// (`josé.müller`, `o'brien`), and internationalised domain labels (`bücher.de`).
const EMAIL_IN_TEXT = new RegExp(
  OUTSIDE_AN_ESCAPE +
    String.raw`[\p{L}\p{M}\p{N}._%+'!#$&*/=?^{|}~-]{1,64}@[\p{L}\p{M}\p{N}-]{1,63}(?:\.[\p{L}\p{M}\p{N}-]{1,63}){0,8}\.[\p{L}\p{M}]{2,63}`,
  'gu',
);
const PHONE_IN_TEXT = /(?<![\w.+])\+[1-9](?:[ ().-]{0,2}\d){7,14}(?![\w])/g;

/** `text` with every email address and international phone number in it replaced by `[REDACTED]`. */
export function redactContactsInText(text: string): string {
  return text.replace(EMAIL_IN_TEXT, REDACTED).replace(PHONE_IN_TEXT, REDACTED);
}

/** Deeper than this, objects are logged as `[Object]`/`[Array]` rather than walked (or leaked). */
export const MAX_REDACT_DEPTH = 10;

const normalise = (key: string): string => key.replace(/[-_]/g, '').toLowerCase();
const REDACTED_SET = new Set(REDACTED_KEYS.map(normalise));

/**
 * A copy of `value` with the {@link REDACTED_KEYS} replaced by `[REDACTED]`, walking nested objects and
 * arrays. Copy-on-write: an object with nothing to redact is returned as it is, so the usual log line
 * with a few flat fields costs one key lookup per field. Errors, dates, buffers and anything with its
 * own `toJSON` are left to pino's serializers; a cycle becomes `[Circular]`.
 */
export function redactPersonalData<T>(value: T): T {
  return walk(value, 0, new Map()) as T;
}

function walk(value: unknown, depth: number, seen: Map<object, unknown>): unknown {
  if (!isWalkable(value)) return value;
  if (seen.has(value)) return seen.get(value);
  if (depth >= MAX_REDACT_DEPTH) return Array.isArray(value) ? '[Array]' : '[Object]';
  // While its children are walked, a reference back to this object is a cycle.
  seen.set(value, '[Circular]');
  const result = Array.isArray(value) ? walkArray(value, depth, seen) : walkObject(value, depth, seen);
  seen.set(value, result);
  return result;
}

function walkArray(array: unknown[], depth: number, seen: Map<object, unknown>): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const next = walk(array[i], depth + 1, seen);
    if (next !== array[i]) {
      copy ??= array.slice();
      copy[i] = next;
    }
  }
  return copy ?? array;
}

function walkObject(object: object, depth: number, seen: Map<object, unknown>): object {
  let copy: Record<string, unknown> | undefined;
  const source = object as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const current = source[key];
    const next =
      REDACTED_SET.has(normalise(key)) && current !== undefined && current !== null
        ? REDACTED
        : walk(current, depth + 1, seen);
    if (next !== current) {
      copy ??= { ...source };
      copy[key] = next;
    }
  }
  return copy ?? object;
}

function isWalkable(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  return (
    !(value instanceof Error) &&
    !ArrayBuffer.isView(value) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}
