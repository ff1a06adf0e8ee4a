import { eventCatalog, isEventType } from './catalog';
import { isUuid } from './common/decorators';
import type { CloudEvent } from './envelope/cloud-event';

/**
 * The Kafka message key: the guest id (= `subject`) for guest events, `propertyId:reservationId` for
 * upstream booking events, so that everything about one guest, or one reservation, stays in order. A
 * UUID subject is keyed in lower case, as UUIDs compare case-insensitively: the same guest in upper case
 * would otherwise hash to another partition. Booking keys are upstream ids, kept as sent.
 */
export function partitionKey(event: CloudEvent<string, unknown>): string {
  if (!isEventType(event.type)) throw new Error(`unknown event type "${event.type}"`);
  const rule = eventCatalog[event.type].key;
  if (rule.by === 'subject') {
    if (!event.subject) throw new Error(`${event.type} ${event.id} has no subject to key it by`);
    return isUuid(event.subject) ? event.subject.toLowerCase() : event.subject;
  }
  const { propertyId, reservationId } = (event.data ?? {}) as {
    propertyId?: unknown;
    reservationId?: unknown;
  };
  if (typeof propertyId !== 'string' || typeof reservationId !== 'string') {
    throw new Error(`${event.type} ${event.id} has no data.propertyId and data.reservationId to key it by`);
  }
  return `${propertyId}:${reservationId}`;
}
