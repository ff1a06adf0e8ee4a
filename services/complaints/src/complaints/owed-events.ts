import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isEventType, type EventData, type EventType } from '@loyalty/contracts';
import { EventPublisher } from '@loyalty/messaging';
import { sqlStateOf } from '@loyalty/persistence';
import { Clock, isUuid } from '@loyalty/platform';
import { SlaTimers } from '../sla/sla-timers.service';
import { TimerStore } from '../sla/timer-store';
import { announceWith } from './announce';
import type { ComplaintRecord } from './complaint-record';
import { ComplaintStore } from './complaint-store';

interface OwedEvent {
  id: string;
  type: string;
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
 * each is published once. An event says what is true as it goes out, as a live one does: what may have
 * changed since the migration (the complaint's guest, its deadline) is read in the transaction that
 * publishes it, its complaint held meanwhile. One that cannot be published (its complaint or timer is not
 * there, it fails the event's contract) stays, with the reason, and is tried again later; the others go on.
 */
@Injectable()
export class OwedEvents implements OnApplicationBootstrap {
  private readonly logger = new Logger(OwedEvents.name);
  private saidTableMissing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    private readonly complaints: ComplaintStore,
    private readonly timerStore: TimerStore,
    private readonly timers: SlaTimers,
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
      `select id, event_type as type, data, attempts
       from complaint_events_owed where retry_at is null or retry_at <= $1
       order by id limit $2 for update skip locked`,
      [now, BATCH],
    );
    // What a command changes of their complaints goes into the events: one in flight is waited for. A
    // malformed id holds nothing: its event fails on its own below.
    const complaintIds = owed
      .map((event) => event.data?.complaintId)
      .filter((id): id is string => typeof id === 'string' && isUuid(id));
    await this.complaints.holdAsTheyAre(manager, complaintIds);
    const announce = announceWith(this.publisher, manager);
    let published = 0;
    for (const event of owed) {
      // Each in its own savepoint: one that fails leaves no part of itself in the outbox, nor the others out.
      await manager.query('savepoint owed_event');
      try {
        if (!isEventType(event.type)) throw new Error(`${event.type} is not an event type`);
        const { data, complaint } = await this.asItStands(manager, event, now);
        await announce(event.type, data as EventData<EventType>, complaint);
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

  /**
   * The event as the service would announce it live now. Every owed event is a complaint's: under the guest
   * the complaint stands under now, as each of its events is (a merge since moved it to the survivor; an
   * erased guest keeps the opaque id, and the event holds nothing else of them), at its property. A reopen
   * says the deadline the resolution timer it started gives now (`deadlineAt`): a pause and resume since
   * moved it, and a timer paused now gives the deadline it would get if resumed as the event goes out. The
   * rest is what the migration recorded of the event itself.
   */
  private async asItStands(
    manager: EntityManager,
    event: OwedEvent,
    now: Date,
  ): Promise<{ data: Record<string, unknown>; complaint: ComplaintRecord }> {
    const complaintId = event.data?.complaintId;
    // Said by field, for whoever mends the row by hand: a query would only say what type it refused.
    if (typeof complaintId !== 'string' || !isUuid(complaintId))
      throw new Error(`data.complaintId is not a complaint id: ${JSON.stringify(complaintId)}`);
    const complaint = await this.complaints.get(manager, complaintId);
    const data: Record<string, unknown> = { ...event.data, guestId: complaint.guestId };
    if (event.type !== 'complaint-reopened') return { data, complaint };
    const reopenedAt = data.reopenedAt;
    if (typeof reopenedAt !== 'string' || Number.isNaN(Date.parse(reopenedAt)))
      throw new Error(`data.reopenedAt is not an instant: ${JSON.stringify(reopenedAt)}`);
    const timer = await this.timerStore.startedAt(manager, complaint.id, 'resolution', reopenedAt);
    if (!timer) throw new Error(`complaint ${complaint.id} has no resolution timer started at ${reopenedAt}`);
    const resolveBy = await this.timers.deadline(manager, complaint, timer, now);
    return { data: { ...data, resolveBy: resolveBy.toISOString() }, complaint };
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
