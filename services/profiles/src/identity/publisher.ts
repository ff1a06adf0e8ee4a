import type { EventData, EventType } from '@loyalty/contracts';

/** Puts an event in the outbox of the caller's transaction: `ctx.publish` in a handler, EventPublisher over HTTP. */
export type Publish = <T extends EventType>(
  type: T,
  data: EventData<T>,
  meta: { subject: string; propertyId?: string },
) => unknown;
