import type { EventData, EventType } from '@loyalty/contracts';

/** Puts one event in the outbox of the current transaction (a consumer's ctx.publish or an EventPublisher). */
export type Publish = <T extends EventType>(type: T, data: EventData<T>) => void | Promise<void>;
