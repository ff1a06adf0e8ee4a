import { BaseRpcContext } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';
import {
  buildEvent,
  type EventData,
  type EventEnvelope,
  type EventType,
  type ValidatedEvent,
} from '@loyalty/contracts';

export interface Delivery {
  topic: string;
  partition: number;
  /** Offset of the (last) message handled. */
  offset: string;
  attempt: number;
}

export interface PublishMeta {
  subject?: string;
  propertyId?: string;
  /** The event this one is a consequence of; defaults to the event being handled. */
  causedBy?: ValidatedEvent;
}

/**
 * What an event handler gets besides the event: the transaction its writes must use, and `publish`,
 * which puts follow-up events in the outbox of that same transaction.
 */
export class EventContext extends BaseRpcContext<[Delivery]> {
  readonly pending: EventEnvelope<EventType>[] = [];

  constructor(
    readonly manager: EntityManager,
    readonly delivery: Delivery,
    private readonly source: string,
    private readonly handled?: ValidatedEvent,
  ) {
    super([delivery]);
  }

  publish<T extends EventType>(type: T, data: EventData<T>, meta: PublishMeta = {}): EventEnvelope<T> {
    const cause = meta.causedBy ?? this.handled;
    const event = buildEvent(type, data, {
      source: this.source,
      subject: meta.subject,
      propertyId: meta.propertyId,
      correlationId: cause?.envelope.correlationid,
      causationId: cause?.envelope.id,
    });
    this.pending.push(event);
    return event;
  }
}
