import { defineConstraint } from './define-constraint';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** Whether `value` is a UUID, in either case. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * An id minted by the platform (guest, stay, transaction, survey, complaint ids): a UUID in lower case, as
 * the platform mints them. Services compare these ids as text (map keys, message keys), where an id in
 * upper case would be a second id for the same guest.
 */
export const Uuid = defineConstraint<[]>({
  name: 'uuid',
  test: (value) => isUuid(value) && value === value.toLowerCase(),
  reason: () => 'must be a UUID in lower case',
  schema: () => ({ type: 'string', format: 'uuid', pattern: '^[0-9a-f-]+$' }),
});

/**
 * An event id, which upstream systems mint too, some in upper case: compared as a UUID (the inbox's column
 * is `uuid`), so either case is one id.
 */
export const EventId = defineConstraint<[]>({
  name: 'event-id',
  test: (value) => isUuid(value),
  reason: () => 'must be a UUID',
  schema: () => ({ type: 'string', format: 'uuid' }),
});

/**
 * An id or code minted upstream (property, reservation, room type, rate plan). No ':' so that
 * `propertyId:reservationId` keys stay unambiguous.
 */
export function isIdentifier(value: unknown): value is string {
  return typeof value === 'string' && IDENTIFIER.test(value);
}

export const IDENTIFIER_REASON = "must be an identifier of 1-64 letters, digits, '.', '_' or '-'";

export const Identifier = defineConstraint<[]>({
  name: 'identifier',
  test: isIdentifier,
  reason: () => IDENTIFIER_REASON,
  schema: () => ({ type: 'string', pattern: IDENTIFIER.source, maxLength: 64 }),
});

// Half of a UTF-16 surrogate pair without its other half: JSON can carry one (`"\ud83d"`, an id cut through
// an emoji), UTF-8 cannot encode it.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What in `text` Postgres cannot store, if anything: a NUL, which text and jsonb cannot hold, or an unpaired
 * surrogate, which jsonb refuses and text turns into U+FFFD. A value with one would pass a check of its
 * shape and fail (or change) where it is written.
 */
export function unstorableIn(text: string): 'NUL' | 'an unpaired surrogate' | undefined {
  if (text.includes('\u0000')) return 'NUL';
  return UNPAIRED_SURROGATE.test(text) ? 'an unpaired surrogate' : undefined;
}

/** Free text that is not blank, has a bounded length, and holds nothing Postgres cannot store. */
export const Text = defineConstraint({
  name: 'text',
  test: (value, [maxLength]: [number]) =>
    typeof value === 'string' &&
    value.trim().length > 0 &&
    value.length <= maxLength &&
    unstorableIn(value) === undefined,
  reason: (maxLength) =>
    `must be a non-blank string of at most ${maxLength} characters, with no NUL and no unpaired surrogate`,
  schema: (maxLength) => ({ type: 'string', minLength: 1, maxLength, pattern: '^[^\\u0000]*$' }),
});

/** One value of a closed vocabulary. */
export const OneOf = defineConstraint({
  name: 'oneOf',
  test: (value, [values]: [readonly string[]]) => typeof value === 'string' && values.includes(value),
  reason: (values) => `must be one of: ${values.join(', ')}`,
  schema: (values) => ({ type: 'string', enum: [...values] }),
});
