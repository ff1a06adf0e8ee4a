import { isUtf8 } from 'node:buffer';
import {
  eventCatalog,
  isEventType,
  type EventType,
  type EventVersion,
  type ReceivedEventData,
} from './catalog';
import type { EventDeclaration } from './catalog/event-declaration';
import { toInstance, type DtoClass } from './common/nested-types';
import type { CloudEvent } from './envelope/cloud-event';
import { CloudEventEnvelopeDto } from './envelope/cloud-event-envelope.dto';
import {
  ContractViolation,
  ContractViolationCode,
  type ContractIssue,
} from './validation/contract-violation';
import { validateInstance, type UnknownFields } from './validation/compiled-validator';

/** A valid event: narrow on `type` to get the payload class of that event type. */
export type ValidatedEvent<T extends EventType = EventType> = {
  [K in T]: {
    type: K;
    version: EventVersion<K>;
    envelope: CloudEvent<K, ReceivedEventData<K>>;
    /** The payload as an instance of its version's DTO class. */
    data: ReceivedEventData<K>;
  };
}[T];

/**
 * Checks an event against its contract: the envelope, then (type, dataversion) against the catalogue,
 * then `data` against that version's DTO, then that the envelope agrees with the payload (subject,
 * propertyid). Throws `ContractViolation`; returns the event with `data` as a DTO instance and its id in
 * lower case, the canonical form of a UUID.
 * Pass `expectedType` when only one type is acceptable, e.g. the type of the topic being consumed.
 */
export function validateEvent(raw: unknown): ValidatedEvent;
export function validateEvent<T extends EventType>(raw: unknown, expectedType: T): ValidatedEvent<T>;
export function validateEvent(raw: unknown, expectedType?: EventType): ValidatedEvent {
  return checkEvent(raw, expectedType, 'writer');
}

/**
 * `validateEvent` as a consumer reads an event: a payload field that the consumer's contract does not
 * declare is dropped rather than refused when one of the platform's services produced the event. Such a
 * field is an optional one a newer release of its producer added (producers check what they write in full,
 * with `validateEvent`), and a consumer pod of the release before must read the event as it knows it
 * rather than dead-letter it while a rollout is under way. Upstream events stay refused: a field a property
 * system misspells would otherwise be lost without a word.
 */
export function validateReceivedEvent<T extends EventType>(raw: unknown, expectedType: T): ValidatedEvent<T> {
  return checkEvent(raw, expectedType, 'reader') as ValidatedEvent<T>;
}

/** Who checks the event: the writer holds it to its whole contract; a reader may be a release behind it. */
type Checker = 'writer' | 'reader';

function checkEvent(raw: unknown, expectedType: EventType | undefined, checker: Checker): ValidatedEvent {
  const envelope = checkEnvelope(raw);
  const about = { id: envelope.id, type: envelope.type, dataversion: envelope.dataversion };
  const { type, dataversion } = envelope;
  if (!isEventType(type)) {
    throw new ContractViolation(
      ContractViolationCode.UNKNOWN_TYPE,
      `unknown event type "${type}"`,
      [{ path: 'type', reason: 'is not a known event type' }],
      about,
    );
  }
  if (expectedType !== undefined && type !== expectedType) {
    throw new ContractViolation(
      ContractViolationCode.UNEXPECTED_TYPE,
      `expected ${expectedType}, got ${type}`,
      [{ path: 'type', reason: `must be ${expectedType}` }],
      about,
    );
  }
  const declaration: EventDeclaration = eventCatalog[type];
  if (!Object.hasOwn(declaration.versions, dataversion)) {
    const known = Object.keys(declaration.versions).join(', ');
    throw new ContractViolation(
      ContractViolationCode.UNKNOWN_VERSION,
      `${type} has no version ${dataversion}`,
      [{ path: 'dataversion', reason: `must be one of: ${known}` }],
      about,
    );
  }
  const dataClass = (declaration.versions as Record<string, DtoClass>)[dataversion];
  const unknownFields = checker === 'reader' && declaration.owner !== 'upstream' ? 'drop' : 'refuse';
  const data = checkData(dataClass, envelope, about, unknownFields);
  checkEnvelopeAgreesWithData(declaration, envelope, data, about);
  // The id is an event's identity in every inbox and in the ingress's record of events received, all
  // Postgres uuid columns, which answer in lower case; an upper-case id as sent would match none of them.
  const id = envelope.id.toLowerCase();
  return { type, version: dataversion, envelope: { ...envelope, id, data }, data } as ValidatedEvent;
}

/**
 * Parses a Kafka message value (or an HTTP body) into JSON for `validateEvent`; a missing value or
 * one that is not UTF-8 JSON throws `ContractViolation` with code `NOT_JSON`.
 */
export function parseEventBytes(bytes: Buffer | Uint8Array | string | null | undefined): unknown {
  try {
    if (bytes === null || bytes === undefined) throw new Error('the message has no value');
    return JSON.parse(typeof bytes === 'string' ? bytes : utf8(bytes));
  } catch (error) {
    const reason =
      error instanceof SyntaxError
        ? syntaxErrorWithoutExcerpt(error)
        : error instanceof Error
          ? error.message
          : String(error);
    throw new ContractViolation(ContractViolationCode.NOT_JSON, 'event is not JSON', [{ path: '', reason }]);
  }
}

/**
 * What JSON.parse found wrong, with its position but without the excerpt of the input V8 quotes
 * (`Unexpected token ''', "{"givenName": 'Anna..." is not valid JSON`): the reason is logged and goes
 * into the dead letter's `dlq-detail` header, and the input is as often as not a guest's personal data.
 */
function syntaxErrorWithoutExcerpt(error: SyntaxError): string {
  if (error.message.startsWith('Unexpected end of JSON input')) return 'the JSON ends before it is complete';
  const position = /at position (\d+)/.exec(error.message)?.[1];
  return position === undefined
    ? 'the value is not valid JSON'
    : `the value is not valid JSON at position ${position}`;
}

function checkEnvelope(raw: unknown): CloudEventEnvelopeDto {
  const rejected: string[] = [];
  const envelope = toInstance(CloudEventEnvelopeDto, raw, '', rejected);
  if (!(envelope instanceof CloudEventEnvelopeDto)) {
    throw new ContractViolation(ContractViolationCode.INVALID_ENVELOPE, 'event envelope is invalid', [
      { path: '', reason: 'the event must be a JSON object' },
    ]);
  }
  const issues = [...notAllowed(rejected), ...validateInstance(envelope, '')];
  if (issues.length > 0) {
    throw new ContractViolation(ContractViolationCode.INVALID_ENVELOPE, 'event envelope is invalid', issues, {
      id: stringOrUndefined(envelope.id),
      type: stringOrUndefined(envelope.type),
      dataversion: stringOrUndefined(envelope.dataversion),
    });
  }
  return envelope;
}

function checkData(
  dataClass: DtoClass,
  envelope: CloudEventEnvelopeDto,
  about: ContractViolation['event'],
  unknownFields: UnknownFields,
): object {
  const rejected: string[] = [];
  const data = toInstance(dataClass, envelope.data, 'data', rejected) as object;
  const issues = [...notAllowed(rejected), ...validateInstance(data, 'data', unknownFields)];
  if (issues.length > 0) {
    const summary = `${envelope.type} v${envelope.dataversion} is invalid`;
    throw new ContractViolation(ContractViolationCode.INVALID_DATA, summary, issues, about);
  }
  return data;
}

function checkEnvelopeAgreesWithData(
  declaration: EventDeclaration,
  envelope: CloudEventEnvelopeDto,
  data: object,
  about: ContractViolation['event'],
): void {
  const fields = data as Record<string, unknown>;
  const issues: ContractIssue[] = [];
  if (declaration.key.by === 'subject') {
    const field = declaration.key.subjectField;
    if (envelope.subject !== fields[field])
      issues.push({ path: 'subject', reason: `must equal data.${field}` });
  }
  if (
    envelope.propertyid !== undefined &&
    'propertyId' in fields &&
    envelope.propertyid !== fields.propertyId
  ) {
    issues.push({ path: 'propertyid', reason: 'must equal data.propertyId' });
  }
  if (issues.length > 0) {
    throw new ContractViolation(
      ContractViolationCode.INVALID_ENVELOPE,
      `${envelope.type} envelope is invalid`,
      issues,
      about,
    );
  }
}

// Decodes without copying: Kafka hands over Buffers, which are Uint8Arrays. Checked first: decoding alone
// turns a byte that is no UTF-8 (a Latin-1 "ü" from a property system) into U+FFFD, and the event would pass
// with the guest's name altered.
const utf8 = (bytes: Uint8Array): string => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!isUtf8(buffer)) throw new Error('the value is not UTF-8');
  return buffer.toString('utf8');
};
const notAllowed = (paths: string[]): ContractIssue[] =>
  paths.map((path) => ({ path, reason: 'is not allowed' }));
const stringOrUndefined = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;
