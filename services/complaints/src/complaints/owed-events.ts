import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isEventType, type EventData, type EventType } from '@loyalty/contracts';
import { EventPublisher } from '@loyalty/messaging';
import { sqlStateOf } from '@loyalty/persistence';
import { Clock } from '@loyalty/platform';
import { announceWith } from './announce';

interface OwedEvent {
  id: string;
  type: string;
  guestId: string;
  propertyId: string;
  // Any JSON: the column only refuses SQL null, and a row may have been mended by hand.
  data: Record<string, unknown> | null;
  attempts: number;
}

const BATCH = 100;
// Postgres's SQLSTATE for a table that does not exist.
const UNDEFINED_TABLE = '42P01';
const MINUTE = 60_000;
// An event that could not be published is tried again after a minute, then twice as long each time, up to
// an hour: it stays owed until someone fixes or deletes it, without being retried on every tick.
const LONGEST_WAIT = 60 * MINUTE;

/** How long to wait before trying an event again that failed `attempts` times. */
export function retryDelayMs(attempts: number): number {
  return Math.min(LONGEST_WAIT, MINUTE * 2 ** Math.max(0, attempts - 1));
}

/**
 * Publishes the events migrations owe (`complaint_events_owed`): they run before the service and its
 * publisher, or in a job while instances are up, so one that changes complaints leaves its events there.
 * Each instance moves them to the outbox as it starts and on every tick of its SLA scan, a batch per
 * transaction, in the order they were owed; `skip locked` leaves the ones another instance is moving, so
 * each is published once. One that cannot be published (it fails the event's contract) stays, with the
 * reason, and is tried again later; the others go on.
 */
@Injectable()
export class OwedEvents implements OnApplicationBootstrap {
  private readonly logger = new Logger(OwedEvents.name);
  private saidTableMissing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.publishOwed(this.clock.now());
  }

  /**
   * Moves the events owed to the outbox and returns how many; never throws, so that the job it runs in
   * goes on: what is still owed is tried on the next tick (the service itself can run without them).
   */
  async publishOwed(now: Date): Promise<number> {
    try {
      const published = await this.publish(now);
      if (published > 0) this.logger.log(`published ${published} events owed by migrations`);
      return published;
    } catch (error) {
      this.logger.error(`could not publish the events owed by migrations: ${String(error)}`);
      return 0;
    }
  }

  /** Moves every owed event due at `now` to the outbox; returns how many. */
  async publish(now: Date): Promise<number> {
    let published = 0;
    for (;;) {
      let batch: { claimed: number; published: number };
      try {
        batch = await this.dataSource.transaction((manager) => this.publishBatch(manager, now));
      } catch (error) {
        // Before migration 1760000005300 has run (a migration job after the instances start), nothing is
        // owed. Told by the failed read itself, not by a look before it, which the migration could follow.
        if (sqlStateOf(error) !== UNDEFINED_TABLE) throw error;
        if (!this.saidTableMissing)
          this.logger.log('complaint_events_owed is not there yet (migrations to run): nothing is owed');
        this.saidTableMissing = true;
        return published;
      }
      published += batch.published;
      if (batch.claimed < BATCH) return published;
    }
  }

  private async publishBatch(
    manager: EntityManager,
    now: Date,
  ): Promise<{ claimed: number; published: number }> {
    const owed: OwedEvent[] = await manager.query(
      `select id, event_type as type, guest_id as "guestId", property_id as "propertyId", data, attempts
       from complaint_events_owed where retry_at is null or retry_at <= $1
       order by id limit $2 for update skip locked`,
      [now, BATCH],
    );
    const announce = announceWith(this.publisher, manager);
    let published = 0;
    for (const event of owed) {
      // Each in its own savepoint: one that fails leaves no part of itself in the outbox, nor the others out.
      await manager.query('savepoint owed_event');
      try {
        if (!isEventType(event.type)) throw new Error(`${event.type} is not an event type`);
        await announce(event.type, event.data as EventData<EventType>, event);
        await manager.query('delete from complaint_events_owed where id = $1', [event.id]);
        await manager.query('release savepoint owed_event');
        published++;
      } catch (error) {
        await manager.query('rollback to savepoint owed_event');
        await this.keep(manager, event, error, now);
      }
    }
    return { claimed: owed.length, published };
  }

  private async keep(manager: EntityManager, event: OwedEvent, error: unknown, now: Date): Promise<void> {
    const attempts = event.attempts + 1;
    const retryAt = new Date(now.getTime() + retryDelayMs(attempts));
    const failure = error instanceof Error ? error.message : String(error);
    await manager.query(
      'update complaint_events_owed set attempts = $2, failure = $3, retry_at = $4 where id = $1',
      [event.id, attempts, failure, retryAt],
    );
    this.logger.error(
      `owed event ${event.id} (${event.type}, complaint ${String(event.data?.complaintId)}) could not be ` +
        `published, attempt ${attempts}; kept, to be tried again from ${retryAt.toISOString()}: ${failure}`,
    );
  }
}
