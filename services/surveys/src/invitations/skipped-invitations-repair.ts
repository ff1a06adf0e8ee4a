import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PeriodicTask } from '@loyalty/platform';
import { erasureKeyOf, SurveysConfig } from '../config/surveys.config';
import { forgetStays } from '../guests/erased-stays';
import { skippedUnderNow } from '../guests/guest-keys';

const BATCH = 1000;

/**
 * Moves the skipped invitations still under a guest id that no longer stands for itself to where a stay
 * skipped now is kept (`skippedUnder`): the final survivor of the id's merges, no guest once that guest was
 * erased. Migration 1760000004500 moved those written before it ran; a pod of a version before it writes a
 * skipped stay under the stay's own guest id until it stops, also after the migration ran. So each instance
 * looks for them at start-up and every SURVEYS_SKIPPED_REPAIR_INTERVAL_MS, and moves what it finds as the
 * migration does; once no pod of that version is left, every look finds nothing, from indexes alone.
 *
 * Each look also cuts erased guests' invitations off their stays (`forgetStays`) where that was not done:
 * those erased before this was so, and those a pod of a version before migration 1760000004700 erases or
 * skips as erased until it stops. A partial index of them keeps the look cheap once there are none.
 */
@Injectable()
export class SkippedInvitationsRepair implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SkippedInvitationsRepair.name);
  private readonly task = new PeriodicTask(
    'moving skipped invitations off guests merged away or erased',
    () => this.look(),
    this.logger,
  );

  private firstLook?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: SurveysConfig,
  ) {}

  /**
   * The first look runs beside the start-up, not before it: the service works without it, and a
   * transaction holding one of the invitations it locks would otherwise keep the pod from serving. A
   * failure is logged, and the next look tries again.
   */
  onApplicationBootstrap(): void {
    this.firstLook = this.look()
      .catch((error: unknown) =>
        this.logger.error(
          `moving skipped invitations off guests merged away or erased failed: ${String(error)}`,
        ),
      )
      .then(() => {
        if (!this.stopping) this.task.start(this.config.SURVEYS_SKIPPED_REPAIR_INTERVAL_MS);
      });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.firstLook;
    await this.task.stop();
  }

  async look(): Promise<void> {
    await this.repair();
    await this.forgetErasedStays();
  }

  /** Moves every such invitation there is, a batch per transaction; returns how many it moved. */
  async repair(): Promise<number> {
    let moved = 0;
    for (;;) {
      const batch = await this.dataSource.transaction((manager) => moveBatch(manager));
      moved += batch.moved;
      if (batch.locked < BATCH || batch.moved === 0) break;
    }
    if (moved > 0) this.logger.log(`moved ${moved} skipped invitations off guests merged away or erased`);
    return moved;
  }

  /**
   * Cuts every erased guest's invitation still naming its stay off it, a batch per transaction; returns
   * how many it found. Those another transaction holds are left to the next look: an answer or a sender
   * holding one may wait for nothing this holds, but nothing is gained by waiting for them.
   */
  async forgetErasedStays(): Promise<number> {
    let found = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const rows: { survey_id: string }[] = await manager.query(STAYS_OF_ERASED_GUESTS, [BATCH]);
        await forgetStays(
          manager,
          rows.map((row) => row.survey_id),
          erasureKeyOf(this.config),
        );
        return rows.length;
      });
      found += batch;
      if (batch < BATCH) break;
    }
    if (found > 0) this.logger.log(`cut ${found} erased guests' invitations off their stays`);
    return found;
  }
}

/**
 * One batch: the guests merged away or erased that a skipped invitation is under, where their invitations
 * go as the merges stand, then, for those that move, their skipped invitations locked and moved. They are
 * locked in survey id order before any guest's row, as merges and erasures lock invitations, and only
 * they are written; where they go is read again once they are locked, so a merge or erasure that held one
 * of them, and was waited for, is seen, and one that comes later waits for this commit and then moves what
 * it moved (a merge or erasure of a guest locks the invitations of every id merged into that guest).
 */
async function moveBatch(manager: EntityManager): Promise<{ locked: number; moved: number }> {
  const guests: { guest_id: string }[] = await manager.query(GUESTS_WITH_SKIPPED_INVITATIONS);
  // A guest whose invitations stay where they are (a cycle of merges) has nothing locked.
  const moving = movesOf(
    await skippedUnderNow(
      manager,
      guests.map((guest) => guest.guest_id),
    ),
  );
  if (moving.size === 0) return { locked: 0, moved: 0 };
  const locked: { survey_id: string; guest_id: string }[] = await manager.query(LOCK_SKIPPED_INVITATIONS, [
    [...moving.keys()],
    BATCH,
  ]);
  const movedTo = movesOf(await skippedUnderNow(manager, [...new Set(locked.map((row) => row.guest_id))]));
  const moved = locked.filter((row) => movedTo.has(row.guest_id));
  if (moved.length > 0)
    await manager.query(
      `update invitations i set guest_id = m.moved_to
       from unnest($1::uuid[], $2::uuid[]) as m (survey_id, moved_to) where i.survey_id = m.survey_id`,
      [moved.map((row) => row.survey_id), moved.map((row) => movedTo.get(row.guest_id))],
    );
  return { locked: locked.length, moved: moved.length };
}

/** The ids whose skipped invitations are kept under another guest, or none, and that guest. */
function movesOf(skippedUnder: ReadonlyMap<string, string | null>): Map<string, string | null> {
  return new Map([...skippedUnder].filter(([guestId, keptUnder]) => keptUnder !== guestId));
}

/**
 * The guests merged away or erased that a skipped invitation is under, from indexes: the partial index of
 * those guests (`survey_guests_merged_or_erased`), few among all, then `invitations_guest` for each, which
 * finds nothing once a merge or erasure moved the guest's invitations. Looked up for each guest (a lateral
 * `limit 1`): as a semi-join, the planner would read every skipped invitation to hash them.
 */
export const GUESTS_WITH_SKIPPED_INVITATIONS = `
  select g.guest_id from survey_guests g
    cross join lateral (
      select from invitations i where i.guest_id = g.guest_id and i.state = 'skipped' limit 1) skipped
  where g.merged_into is not null or g.erased_at is not null`;

/** Up to `$2` skipped invitations of the guests `$1` names, locked in survey id order. */
const LOCK_SKIPPED_INVITATIONS = `
  select survey_id, guest_id from invitations where guest_id = any($1::uuid[]) and state = 'skipped'
  order by survey_id limit $2 for update`;

/**
 * Up to `$1` invitations under no guest (their guest was erased) still naming their stay, locked, from the
 * partial index of migration 1760000004700 (its predicate, word for word).
 */
const STAYS_OF_ERASED_GUESTS = `
  select survey_id from invitations where guest_id is null and reservation_id not like 'erased:%'
  order by survey_id limit $1 for update skip locked`;
