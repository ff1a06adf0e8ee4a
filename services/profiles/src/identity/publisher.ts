import type { EventData, EventType, ValidatedEvent } from '@loyalty/contracts';
import type { EventContext } from '@loyalty/messaging';

/** Puts an event in the outbox of the caller's transaction: `ctx.publish` in a handler, EventPublisher over HTTP. */
export type Publish = <T extends EventType>(
  type: T,
  data: EventData<T>,
  meta: {
    subject: string;
    propertyId?: string;
    /**
     * The id of the handled event this one follows from, whose correlation it carries and which it names as
     * its cause (`publishFollowing`); over HTTP the request's correlation runs instead.
     */
    followsEvent?: string;
  },
) => unknown;

/**
 * `Publish` for a batch handler of `handled`: a batch is handled as a whole, so each event names the one it
 * follows from, as `loyalty trace` follows them.
 */
export function publishFollowing(ctx: EventContext, handled: readonly ValidatedEvent[]): Publish {
  const byId = new Map(handled.map((event) => [event.envelope.id, event]));
  return (type, data, { followsEvent, ...meta }) =>
    ctx.publish(type, data, {
      ...meta,
      causedBy: followsEvent === undefined ? undefined : byId.get(followsEvent),
    });
}
