import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { lockKeysUntilCommit } from './advisory-locks';

/** What a guest id stands for now: its final survivor (itself unless merged away), and whether erased. */
export interface CurrentGuest {
  readonly guestId: string;
  readonly erased: boolean;
}

/**
 * What is left of erased and merged guests, in a service's `guest_tombstones` table (`guest_id`,
 * `merged_into`, `erased_at`). An event for such an id can arrive after the erasure or merge (topic lag,
 * a replayed dead letter); every write of a guest's data goes through `current` or `follow`, so the late
 * event neither brings an erased guest back nor keeps a merged id alive.
 *
 * Guest events arrive keyed by the guest, merges by the survivor, so they are handled concurrently. The
 * readers, `entomb` and `entombErased` lock the guest ids until commit: an event being handled for an id
 * and the id's merge or erasure wait for each other, so nothing is written under an id whose tombstone
 * committed after it was read. A merge or erasure handler entombs before anything else it locks of the
 * guest's, but for rows a stay batch locks before the guest id (the churn watch's nights of a stay).
 */
@Injectable()
export class GuestTombstones {
  /** Each id with the guest it stands for now; the ids and their final survivors stay locked until commit. */
  async current(manager: EntityManager, guestIds: readonly string[]): Promise<Map<string, CurrentGuest>> {
    const ids = [...new Set(guestIds)];
    if (ids.length === 0) return new Map();
    const locked = new Set(ids);
    await lockKeysUntilCommit(manager, ids);
    for (;;) {
      const rows: { id: string; guestId: string; erased: boolean }[] = await manager.query(
        `select i.id, coalesce(t.merged_into, i.id) as "guestId", t.erased_at is not null as erased
         from unnest($1::uuid[]) as i(id) left join guest_tombstones t on t.guest_id = i.id`,
        [ids],
      );
      // A merged id's data is written under its final survivor, which an erasure or a merge of that guest
      // locks alone: locked too, and read again once locked, as it may have been erased or merged on.
      const survivors = [...new Set(rows.map((row) => row.guestId))].filter((id) => !locked.has(id));
      if (survivors.length === 0)
        return new Map(rows.map(({ id, guestId, erased }) => [id, { guestId, erased }]));
      for (const id of survivors) locked.add(id);
      await lockKeysUntilCommit(manager, survivors);
    }
  }

  /** The items whose guest lives on, each with its guest id made the final survivor's; an erased guest's are dropped. */
  async follow<T extends { readonly guestId: string }>(
    manager: EntityManager,
    items: readonly T[],
  ): Promise<T[]> {
    const current = await this.current(
      manager,
      items.map((item) => item.guestId),
    );
    return items.flatMap((item) => {
      const now = current.get(item.guestId) as CurrentGuest;
      if (now.erased) return [];
      return [now.guestId === item.guestId ? item : { ...item, guestId: now.guestId }];
    });
  }

  /**
   * Remembers that `mergedId` lives on as `survivorId`, or as the guest `survivorId` was merged into in
   * turn (merges are keyed by survivor, so S→T can be handled before M→S); ids merged into `mergedId`
   * before now follow it too, so each names the final survivor. A survivor erased meanwhile takes the
   * merged guest with it. Both ids and the final survivor stay locked until commit, so no other merge or
   * erasure of them, nor an event being handled for them, commits meanwhile. Returns the final survivor
   * and, when erased, the erasure's time.
   */
  async entomb(
    manager: EntityManager,
    mergedId: string,
    survivorId: string,
  ): Promise<{ id: string; erasedAt: Date | null }> {
    const locked = new Set([mergedId, survivorId]);
    await lockKeysUntilCommit(manager, [...locked]);
    let survivor = await this.finalSurvivor(manager, survivorId);
    // The merge writes under the final survivor, which an erasure or a stay of it locks alone. Locked only
    // now, it is read again: it may have been erased or merged on while this waited for it.
    while (!locked.has(survivor.id)) {
      locked.add(survivor.id);
      await lockKeysUntilCommit(manager, [survivor.id]);
      survivor = await this.finalSurvivor(manager, survivorId);
    }
    await manager.query(
      `insert into guest_tombstones (guest_id, merged_into, erased_at) values ($2, $1, $3)
       on conflict (guest_id) do update set merged_into = $1, erased_at = $3`,
      [survivor.id, mergedId, survivor.erasedAt],
    );
    await manager.query(
      `update guest_tombstones set merged_into = $1, erased_at = coalesce(erased_at, $3) where merged_into = $2`,
      [survivor.id, mergedId, survivor.erasedAt],
    );
    return survivor;
  }

  private async finalSurvivor(
    manager: EntityManager,
    survivorId: string,
  ): Promise<{ id: string; erasedAt: Date | null }> {
    const [survivor]: { id: string; erasedAt: Date | null }[] = await manager.query(
      `select coalesce(t.merged_into, s.id) as id, t.erased_at as "erasedAt"
       from (select $1::uuid as id) s left join guest_tombstones t on t.guest_id = s.id`,
      [survivorId],
    );
    return survivor;
  }

  /**
   * Remembers the erasure, of the guest and of every id merged into them, so no late event revives them.
   * The id stays locked until commit.
   */
  async entombErased(manager: EntityManager, guestId: string, erasedAt: Date): Promise<void> {
    await lockKeysUntilCommit(manager, [guestId]);
    await manager.query(
      `insert into guest_tombstones (guest_id, erased_at) values ($1, $2)
       on conflict (guest_id) do update set erased_at = $2`,
      [guestId, erasedAt],
    );
    await manager.query(
      `update guest_tombstones set erased_at = $2 where merged_into = $1 and erased_at is null`,
      [guestId, erasedAt],
    );
  }
}
