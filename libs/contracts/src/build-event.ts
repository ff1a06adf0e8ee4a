import { randomUUID } from 'node:crypto';
import { timeOrderedUuid } from './event-id';
import { eventCatalog, type EventData, type EventEnvelope, type EventType } from './catalog';
import type { EventDeclaration } from './catalog/event-declaration';
import type { CloudEvent } from './envelope/cloud-event';
import { validateEvent } from './validate';

export interface EventMeta {
  /** The producer, e.g. `serviceSource('points-ledger')` or `pms/opera-ams01`. */
  source: string;
  /** Only for events without a guest: guest events take their subject from the payload. */
  subject?: string;
  /** Defaults to a new UUID: pass the incoming event's (see `causedBy`) when handling one. */
  correlationId?: string;
  causationId?: string;
  /** Defaults to `data.propertyId` when the payload has one. */
  propertyId?: string;
  /** Defaults to a new UUID; pass one to make the event id deterministic (e.g. an outbox row id). */
  id?: string;
  /** Defaults to now. */
  time?: Date;
}

/**
 * Builds the CloudEvent for a payload in the version producers emit, and validates it, so an invalid
 * event fails where it is made (throws `ContractViolation`) rather than in a consumer's dead letters.
 */
export function buildEvent<T extends EventType>(
  type: T,
  data: EventData<T>,
  meta: EventMeta,
): EventEnvelope<T> {
  const declaration: EventDeclaration = eventCatalog[type];
  const fields = data as Record<string, unknown>;
  const subject = declaration.key.by === 'subject' ? fields[declaration.key.subjectField] : meta.subject;
  const propertyId = meta.propertyId ?? fields.propertyId;
  // Absent attributes are left out, not serialised as null; the attributes keep the catalogue's order.
  const event: Record<string, unknown> = {
    specversion: '1.0',
    id: meta.id ?? timeOrderedUuid(),
    type,
    source: meta.source,
    time: (meta.time ?? new Date()).toISOString(),
  };
  if (subject !== undefined) event.subject = subject;
  event.datacontenttype = 'application/json';
  event.dataversion = declaration.currentVersion;
  event.correlationid = meta.correlationId ?? randomUUID();
  if (meta.causationId !== undefined) event.causationid = meta.causationId;
  if (propertyId !== undefined) event.propertyid = propertyId;
  event.data = data;
  validateEvent(event, type);
  return event as EventEnvelope<T>;
}

/** Correlation and causation for an event produced while handling `incoming`. */
export function causedBy(incoming: Pick<CloudEvent, 'id' | 'correlationid'>): {
  correlationId: string;
  causationId: string;
} {
  return { correlationId: incoming.correlationid, causationId: incoming.id };
}
