import type { EntityManager } from 'typeorm';
import { buildEvent, type EventData, type EventEnvelope, type EventType } from '@loyalty/contracts';
import { CorrelationContext } from '@loyalty/observability';
import type { OutboxWriter } from './outbox-writer';

export interface PublishOptions {
  subject?: string;
  propertyId?: string;
  causationId?: string;
}

/**
 * Publishing from outside an event handler (an HTTP command, a scheduled job): the event joins the
 * outbox in the caller's transaction and carries the current request's correlation id.
 */
export class EventPublisher {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly source: string,
  ) {}

  async publish<T extends EventType>(
    manager: EntityManager,
    type: T,
    data: EventData<T>,
    options: PublishOptions = {},
  ): Promise<EventEnvelope<T>> {
    const [event] = await this.publishAll(manager, type, [{ data, options }]);
    return event;
  }

  /** Several events of one type in one outbox write. */
  async publishAll<T extends EventType>(
    manager: EntityManager,
    type: T,
    items: readonly { data: EventData<T>; options?: PublishOptions }[],
  ): Promise<EventEnvelope<T>[]> {
    const correlation = CorrelationContext.current();
    const events = items.map(({ data, options = {} }) =>
      buildEvent(type, data, {
        source: this.source,
        subject: options.subject,
        propertyId: options.propertyId,
        causationId: options.causationId ?? correlation?.causationId,
        correlationId: correlation?.correlationId,
      }),
    );
    await this.outbox.append(manager, events);
    return events;
  }
}
