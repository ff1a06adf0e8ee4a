import type { CloudEvent } from './cloud-event';

/** Kafka header names mirroring envelope attributes (CloudEvents Kafka binding names where one exists). */
export const EVENT_HEADERS = {
  contentType: 'content-type',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  dataVersion: 'ce_dataversion',
  subject: 'ce_subject',
  correlationId: 'correlation-id',
  causationId: 'causation-id',
} as const;

/** The media type of a structured-mode CloudEvent message value. */
export const CLOUDEVENTS_JSON = 'application/cloudevents+json; charset=UTF-8';

/**
 * Headers to send with an event: the JSON value is the whole envelope (structured mode), and these
 * copies let tooling route, filter and trace without parsing it.
 */
export function eventHeaders(event: CloudEvent<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {
    [EVENT_HEADERS.contentType]: CLOUDEVENTS_JSON,
    [EVENT_HEADERS.id]: event.id,
    [EVENT_HEADERS.type]: event.type,
    [EVENT_HEADERS.source]: event.source,
    [EVENT_HEADERS.dataVersion]: event.dataversion,
    [EVENT_HEADERS.correlationId]: event.correlationid,
  };
  if (event.causationid !== undefined) headers[EVENT_HEADERS.causationId] = event.causationid;
  if (event.subject !== undefined) headers[EVENT_HEADERS.subject] = event.subject;
  return headers;
}
