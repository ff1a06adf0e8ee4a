import { EventId, Identifier, Instant, OneOf, Optional, PlainObject, Text } from '../common/decorators';
import { defineConstraint } from '../common/decorators/define-constraint';

const EVENT_TYPE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
// A URI-reference without spaces: `loyalty/points-ledger`, `pms/opera-ams01`, `urn:pms:opera:ams01`.
const SOURCE = /^[A-Za-z0-9][A-Za-z0-9._~:/?#@!$&'()*+,;=%-]{0,199}$/;
const DATA_VERSION = /^[1-9][0-9]{0,3}$/;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

const Matching = defineConstraint({
  name: 'matching',
  test: (value, [pattern]: [RegExp, string]) => typeof value === 'string' && pattern.test(value),
  reason: (_pattern, description) => `must be ${description}`,
  schema: (pattern) => ({ type: 'string', pattern: pattern.source }),
});

/** The CloudEvents envelope every event travels in; `data` is checked against the event type's DTO. */
export class CloudEventEnvelopeDto {
  /** CloudEvents version, always `1.0`. */
  @OneOf(['1.0'])
  specversion: '1.0';

  /** UUID, unique per event: consumers de-duplicate on it. */
  @EventId()
  id: string;

  /** The event type, which is also the topic name, e.g. `stay-completed`. */
  @Matching(EVENT_TYPE, 'a kebab-case event type')
  type: string;

  /** The producer: `loyalty/<service>` for the platform's services, e.g. `pms/opera-ams01` upstream. */
  @Matching(SOURCE, 'a URI-reference without spaces (e.g. loyalty/points-ledger)')
  source: string;

  /** When the event was produced, ISO-8601 UTC. */
  @Instant()
  time: string;

  /** The guest id for guest events, equal to the payload's guest id and the partition key; absent upstream. */
  @Optional()
  @Text(100)
  subject?: string;

  /** Media type of `data`, always `application/json`. */
  @OneOf(['application/json'])
  datacontenttype: 'application/json';

  /** Version of the payload schema, e.g. `'1'`. */
  @Matching(DATA_VERSION, 'a version number as a string (e.g. "1")')
  dataversion: string;

  /** Shared by every event that follows from one original request or upstream event. */
  @Text(128)
  correlationid: string;

  /** The id of the event that directly caused this one. */
  @Optional()
  @Text(128)
  causationid?: string;

  /** The property the event concerns, when there is one; equal to `data.propertyId` when both are present. */
  @Optional()
  @Identifier()
  propertyid?: string;

  /** W3C trace context (CloudEvents distributed-tracing extension), passed through when present. */
  @Optional()
  @Matching(TRACEPARENT, 'a W3C traceparent')
  traceparent?: string;

  /** W3C trace state, passed through with `traceparent`. */
  @Optional()
  @Text(512)
  tracestate?: string;

  /** The payload, checked against the DTO of (`type`, `dataversion`). */
  @PlainObject()
  data: Record<string, unknown>;
}
