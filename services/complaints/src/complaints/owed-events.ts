import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventData, EventType } from '@loyalty/contracts';
import { EventPublisher } from '@loyalty/messaging';
import { announceWith } from './announce';

interface OwedEvent {
  type: EventType;
  guestId: string;
  propertyId: string;
  data: EventData<EventType>;
}

/**
 * Publishes the events migrations owe (`complaint_events_owed`): they run before the service and its
 * publisher, so one that changes complaints leaves its events there. As it starts, an instance moves them to
 * the outbox in one transaction, in the order they were owed, and the relay sends them; an instance starting
 * at the same moment waits for that transaction and finds none left, so each is published once.
 */
@Injectable()
export class OwedEvents implements OnApplicationBootstrap {
  private readonly logger = new Logger(OwedEvents.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const published = await this.publish();
      if (published > 0) this.logger.log(`published ${published} events owed by migrations`);
    } catch (error) {
      // They stay owed, for the next start: the service itself can run without them.
      this.logger.error(`could not publish the events owed by migrations: ${String(error)}`);
    }
  }

  /** Moves every owed event to the outbox; returns how many. */
  async publish(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const owed: OwedEvent[] = await manager.query(
        `with owed as (delete from complaint_events_owed returning *)
         select event_type as type, guest_id as "guestId", property_id as "propertyId", data
         from owed order by id`,
      );
      const announce = announceWith(this.publisher, manager);
      for (const { type, data, guestId, propertyId } of owed)
        await announce(type, data, { guestId, propertyId });
      return owed.length;
    });
  }
}
