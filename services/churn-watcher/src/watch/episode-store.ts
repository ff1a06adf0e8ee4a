import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ChurnEvidenceDto } from '@loyalty/contracts';
import { pageOf, type Page } from '@loyalty/platform';
import { alertPositionOf, type AlertPosition } from './alert-cursor';
import { stayedWithin } from './guest-scope';

export interface Episode {
  readonly id: string;
  readonly guestId: string;
  readonly riskLevel: 'elevated' | 'high';
  readonly evidence: ChurnEvidenceDto;
  readonly modelId: number;
  readonly openedAt: Date;
}

/**
 * What closes the open episode of a guest who objected to profiling (GDPR Art. 21): the alert stood on the
 * profiling, and no stay of theirs ended it.
 */
export const OBJECTED_TO_PROFILING = 'profiling-objection';

const EPISODE_COLUMNS = `id, guest_id as "guestId", risk_level as "riskLevel", evidence, model_id as "modelId",
  opened_at as "openedAt"`;

const OPEN_IN_SCOPE = `closed_at is null and ${stayedWithin('churn_episodes.guest_id', '$1')}`;

/**
 * A page of the alert list: the open episodes within a scope ($1), newest first then by id, after a
 * position ($2 opened at, $3 id), $4 rows. Two ranges of the list's index (`1760000005500`), merged: the
 * rest of the position's instant, then every older one. A scan opens all its alerts at one instant, so
 * one range from that instant on would read again, on every page, each of its alerts before the position.
 * The first is bounded by `>=` and `<=` rather than `=`: Postgres leaves a column it knows to be constant
 * out of the order a branch's rows come in, and would sort the branch to merge it.
 */
const ALERT_PAGE_SQL = `
  (select ${EPISODE_COLUMNS} from churn_episodes
   where ${OPEN_IN_SCOPE} and opened_at >= $2::timestamptz and opened_at <= $2::timestamptz and id > $3::uuid
   order by opened_at desc, id limit $4)
  union all
  (select ${EPISODE_COLUMNS} from churn_episodes
   where ${OPEN_IN_SCOPE} and opened_at < $2::timestamptz
   order by opened_at desc, id limit $4)
  order by "openedAt" desc, id limit $4`;

/** Where the first page starts: no alert is opened at the end of time, every one before it. */
const BEFORE_EVERY_ALERT: AlertPosition = {
  openedAt: 'infinity',
  id: '00000000-0000-0000-0000-000000000000',
};

/** Lapse episodes: the database allows one open episode per guest, so an alert is raised once. */
@Injectable()
export class EpisodeStore {
  /**
   * Opens an episode for each guest who has none open, in one statement however many; returns the guests
   * it opened one for.
   */
  async open(manager: EntityManager, episodes: readonly Omit<Episode, 'id'>[]): Promise<Set<string>> {
    if (episodes.length === 0) return new Set();
    const rows: { guestId: string }[] = await manager.query(
      `insert into churn_episodes (id, guest_id, risk_level, evidence, model_id, opened_at)
       select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::int[], $6::timestamptz[])
       on conflict (guest_id) where closed_at is null do nothing returning guest_id as "guestId"`,
      [
        episodes.map(() => randomUUID()),
        episodes.map((episode) => episode.guestId),
        episodes.map((episode) => episode.riskLevel),
        episodes.map((episode) => JSON.stringify(episode.evidence)),
        episodes.map((episode) => episode.modelId),
        episodes.map((episode) => episode.openedAt),
      ],
    );
    return new Set(rows.map((row) => row.guestId));
  }

  /**
   * The guest's open episode, read without a lock: for a reader, which must not wait for a stay batch or
   * a merge holding it (those lock it with `lockOpen`).
   */
  async openFor(manager: EntityManager, guestId: string): Promise<Episode | undefined> {
    const rows: Episode[] = await manager.query(
      `select ${EPISODE_COLUMNS} from churn_episodes where guest_id = $1 and closed_at is null`,
      [guestId],
    );
    return rows[0];
  }

  /** The open episodes of the guests, by guest id, locked in id order until the transaction ends. */
  async lockOpen(manager: EntityManager, guestIds: readonly string[]): Promise<Map<string, Episode>> {
    if (guestIds.length === 0) return new Map();
    const rows: Episode[] = await manager.query(
      `select ${EPISODE_COLUMNS} from churn_episodes
       where closed_at is null and guest_id = any($1::uuid[]) order by guest_id for update`,
      [guestIds],
    );
    return new Map(rows.map((episode) => [episode.guestId, episode]));
  }

  /** Every guest with an open episode, read without locks (the scan must not hold them). */
  async openGuestIds(manager: EntityManager): Promise<Set<string>> {
    const rows: { guestId: string }[] = await manager.query(
      `select guest_id as "guestId" from churn_episodes where closed_at is null`,
    );
    return new Set(rows.map((row) => row.guestId));
  }

  /** Closes the episodes, each as ended by what `closedBy` names, in one statement however many. */
  async close(
    manager: EntityManager,
    closings: readonly { readonly id: string; readonly closedBy: string }[],
    at: Date,
  ): Promise<void> {
    if (closings.length === 0) return;
    await manager.query(
      `update churn_episodes set closed_at = $3, closed_by = closing.closed_by
       from unnest($1::uuid[], $2::text[]) as closing (id, closed_by) where churn_episodes.id = closing.id`,
      [closings.map((closing) => closing.id), closings.map((closing) => closing.closedBy), at],
    );
  }

  /**
   * A page of the open episodes of the guests who stayed within `scope` (a `scopeParameter`; null for the
   * chain), newest first then by id, after `after` (null for the first page).
   */
  async page(
    manager: EntityManager,
    scope: string[] | null,
    limit: number,
    after: AlertPosition | null,
  ): Promise<Page<Episode>> {
    const { openedAt, id } = after ?? BEFORE_EVERY_ALERT;
    // One more than the page: whether there is a next one.
    const rows: Episode[] = await manager.query(ALERT_PAGE_SQL, [scope, openedAt, id, limit + 1]);
    return pageOf(rows, limit, alertPositionOf);
  }

  /** Moves the merged guest's episodes to the survivor; the caller leaves at most one of them open. */
  async moveEpisodes(manager: EntityManager, survivorId: string, mergedId: string): Promise<void> {
    await manager.query(`update churn_episodes set guest_id = $1 where guest_id = $2`, [
      survivorId,
      mergedId,
    ]);
  }

  async forget(manager: EntityManager, guestId: string): Promise<void> {
    await manager.query(`delete from churn_episodes where guest_id = $1`, [guestId]);
  }
}
