import { BaseRpcContext } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';
import {
  buildEvent,
  ContractViolation,
  HANDLING_FAILURES,
  type EventData,
  type EventEnvelope,
  type EventType,
  type ValidatedEvent,
} from '@loyalty/contracts';
import { PermanentEventError } from '../errors';

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

/** Work a handler defers until its transaction has committed, e.g. evicting a cache entry. */
export type AfterCommitAction = () => void | Promise<void>;

/**
 * What an event handler gets besides the event: the transaction its writes must use, `publish`,
 * which puts follow-up events in the outbox of that same transaction, and `afterCommit`.
 */
export class EventContext extends BaseRpcContext<[Delivery]> {
  readonly pending: EventEnvelope<EventType>[] = [];
  readonly afterCommitActions: AfterCommitAction[] = [];

  constructor(
    readonly manager: EntityManager,
    readonly delivery: Delivery,
    private readonly source: string,
    private readonly handled?: ValidatedEvent,
  ) {
    super([delivery]);
  }

  /**
   * Builds the event and queues it. One that breaks its own contract is the service's bug, not the
   * sender's (invalid incoming events never reach a handler), and no retry can mend it: it throws
   * `PermanentEventError('OUTGOING_EVENT_INVALID')`, which dead-letters the handled event at once.
   */
  publish<T extends EventType>(type: T, data: EventData<T>, meta: PublishMeta = {}): EventEnvelope<T> {
    const cause = meta.causedBy ?? this.handled;
    let event: EventEnvelope<T>;
    try {
      event = buildEvent(type, data, {
        source: this.source,
        subject: meta.subject,
        propertyId: meta.propertyId,
        correlationId: cause?.envelope.correlationid,
        causationId: cause?.envelope.id,
      });
    } catch (error) {
      if (!(error instanceof ContractViolation)) throw error;
      throw new PermanentEventError(
        HANDLING_FAILURES.outgoingEventInvalid,
        `outgoing ${type} event is invalid: ${error.message}`,
      );
    }
    this.pending.push(event);
    return event;
  }

  /**
   * Runs `action` once the transaction has committed, and never if it rolls back (a retried attempt
   * gets a new context). For side effects outside the database that must not run ahead of the commit:
   * a cache entry evicted before it could be refilled from the old rows by a concurrent reader.
   * The change is committed by then, so a failing action is logged, not retried, and a process that dies
   * in between never runs it: only for effects that are bounded anyway, like an entry with a TTL.
   */
  afterCommit(action: AfterCommitAction): void {
    this.afterCommitActions.push(action);
  }
}
