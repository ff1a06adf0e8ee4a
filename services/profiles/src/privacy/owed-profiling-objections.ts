import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { EventPublisher } from '@loyalty/messaging';
import { sqlStateOf } from '@loyalty/persistence';
import { PeriodicTask } from '@loyalty/platform';
import { ProfilesConfig } from '../config/profiles.config';
import { consentUpdates, standingConsents } from './consent-announcements';

/**
 * Guests per transaction: each chunk holds its guests' rows while it announces them, as a stay batch or a
 * staff change would for a few of them.
 */
export const OWED_CHUNK_GUESTS = 500;
// Postgres's SQLSTATE for a table that does not exist.
const UNDEFINED_TABLE = '42P01';

/**
 * Announces the objections to profiling that migration 1760000004300 owes (`profiling_objections_owed`), through
 * the outbox as a staff decision on consent announces them, as of the instant the guest last decided. Each
 * instance drains the table as it starts and every PROFILES_OWED_ANNOUNCEMENTS_INTERVAL_MS, a chunk per
 * transaction that claims its rows (`for update skip locked`: instances draining at once share the work, each
 * guest announced once), announces them and deletes them on commit; a crash leaves the chunk owed.
 *
 * A guest is announced as they stand when their chunk runs, and held meanwhile (a consent decided or an erasure
 * commits before or after the announcement, not during it): under the guest a merge since moved their consents
 * to, if that guest still objects (a later decision was announced as it was made). An erased guest is announced
 * nothing; one merged on between the chunk's read and its lock is left owed for the next drain.
 */
@Injectable()
export class OwedProfilingObjections implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OwedProfilingObjections.name);
  private readonly task = new PeriodicTask(
    'owed profiling objections',
    () => this.announceOwed(),
    this.logger,
  );
  private firstDrain?: Promise<void>;
  private stopping = false;
  private saidTableMissing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly config: ProfilesConfig,
  ) {}

  /**
   * The first drain runs beside the start-up, not before it: the service works without it, and it may be long.
   */
  onApplicationBootstrap(): void {
    this.firstDrain = this.announceOwed().then(() => {
      if (!this.stopping) this.task.start(this.config.PROFILES_OWED_ANNOUNCEMENTS_INTERVAL_MS);
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    // A drain in flight stops after its current chunk; the rest stays owed.
    this.stopping = true;
    await this.firstDrain;
    await this.task.stop();
  }

  /** Announces what is owed and returns how many guests; never throws: what is left is tried again later. */
  private async announceOwed(): Promise<number> {
    try {
      const announced = await this.drain();
      if (announced > 0)
        this.logger.log(`announced ${announced} objections to profiling owed by a migration`);
      return announced;
    } catch (error) {
      this.logger.error(`could not announce the objections to profiling owed: ${String(error)}`);
      return 0;
    }
  }

  /** Announces every objection owed now, in guest id order; returns how many were announced. */
  async drain(): Promise<number> {
    let announced = 0;
    let after: string | null = null;
    while (!this.stopping) {
      let chunk: { claimed: string[]; announced: number };
      try {
        chunk = await this.dataSource.transaction((manager) => this.announceChunk(manager, after));
      } catch (error) {
        // Before migration 1760000004300 has run (a migration job after the instances start), nothing is owed.
        if (sqlStateOf(error) !== UNDEFINED_TABLE) throw error;
        if (!this.saidTableMissing)
          this.logger.log('profiling_objections_owed is not there yet (migrations to run): nothing is owed');
        this.saidTableMissing = true;
        return announced;
      }
      announced += chunk.announced;
      if (chunk.claimed.length < OWED_CHUNK_GUESTS) break;
      after = chunk.claimed[chunk.claimed.length - 1];
    }
    return announced;
  }

  private async announceChunk(
    manager: EntityManager,
    after: string | null,
  ): Promise<{ claimed: string[]; announced: number }> {
    const owed: { guest_id: string }[] = await manager.query(
      `select guest_id from profiling_objections_owed where $1::uuid is null or guest_id > $1::uuid
       order by guest_id limit $2 for update skip locked`,
      [after, OWED_CHUNK_GUESTS],
    );
    const claimed = owed.map((row) => row.guest_id);
    if (claimed.length === 0) return { claimed, announced: 0 };
    // Who each guest is now: a merge since moved their consents to the guest they were merged into.
    const standing: { owed: string; guest: string }[] = await manager.query(
      'select id as owed, coalesce(merged_into, id) as guest from guests where id = any($1::uuid[])',
      [claimed],
    );
    // In id order, as every writer of guest rows locks them.
    const held: { id: string; status: string }[] = await manager.query(
      'select id, status from guests where id = any($1::uuid[]) order by id for share',
      [[...new Set(standing.map((row) => row.guest))]],
    );
    const active = held.filter((guest) => guest.status === 'active').map((guest) => guest.id);
    const mergedOn = new Set(held.filter((guest) => guest.status === 'merged').map((guest) => guest.id));
    const objecting = (await standingConsents(manager, 'profiling', active)).filter((c) => !c.granted);
    await this.events.publishAll(manager, 'guest-updated', consentUpdates('profiling', objecting));
    const retried = new Set(standing.filter((row) => mergedOn.has(row.guest)).map((row) => row.owed));
    await manager.query('delete from profiling_objections_owed where guest_id = any($1::uuid[])', [
      claimed.filter((guestId) => !retried.has(guestId)),
    ]);
    return { claimed, announced: objecting.length };
  }
}
