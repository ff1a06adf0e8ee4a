import type { EventData, EventType } from '@loyalty/contracts';
import type { EventContext, EventPublisher } from '@loyalty/messaging';
import type { EntityManager } from 'typeorm';

/** Puts one complaint event in the outbox of the current transaction, keyed by the complaint's guest. */
export type Announce = <T extends EventType>(
  type: T,
  data: EventData<T>,
  complaint: { guestId: string; propertyId: string },
) => Promise<void>;

/** From inside an event handler: the event is a consequence of the one being handled. */
export function announceFromHandler(ctx: EventContext): Announce {
  return async (type, data, complaint) => {
    ctx.publish(type, data, { subject: complaint.guestId, propertyId: complaint.propertyId });
  };
}

/** From an HTTP command or a timer: the event joins the caller's transaction. */
export function announceWith(publisher: EventPublisher, manager: EntityManager): Announce {
  return async (type, data, complaint) => {
    await publisher.publish(manager, type, data, {
      subject: complaint.guestId,
      propertyId: complaint.propertyId,
    });
  };
}
