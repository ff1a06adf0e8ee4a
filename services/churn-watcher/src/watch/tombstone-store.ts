import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { lockKeysUntilCommit } from '@loyalty/persistence';

/**
 * What is left of erased and merged guests. An event for such an id can arrive after the erasure or merge
 * (topic lag, a replayed dead letter); every write of the guest's stays and signals goes through `follow`,
 * so the late event neither brings an erased guest back nor keeps a merged id alive.
 *
 * Stays and signals arrive keyed by the guest, merges by the survivor, so they are handled concurrently.
 * `follow` and the merge and erasure handlers lock the guest ids until commit: a stay being recorded for
 * an id and the id's merge or erasure wait for each other, so the stay is never written under an id whose
 * tombstone committed after it was read.
 */
@Injectable()
export class TombstoneStore {
  /** Locks the ids until the transaction ends. A merge or erasure takes it before anything else it locks. */
  async lock(manager: EntityManager, guestIds: readonly string[]): Promise<void> {
    await lockKeysUntilCommit(manager, guestIds);
  }

  /** The items whose guest lives on, each with its guest id made the final survivor's; an erased guest's are dropped. */
  async follow<T extends { readonly guestId: string }>(
    manager: EntityManager,
    items: readonly T[],
  ): Promise<T[]> {
    if (items.length === 0) return [];
    await this.lock(
      manager,
      items.map((item) => item.guestId),
    );
    const tombstones: { guestId: string; mergedInto: string | null; erased: boolean }[] = await manager.query(
      `select guest_id as "guestId", merged_into as "mergedInto", erased_at is not null as erased
       from guest_tombstones where guest_id = any($1::uuid[])`,
      [[...new Set(items.map((item) => item.guestId))]],
    );
    const ended = new Map(tombstones.map((row) => [row.guestId, row]));
    return items.flatMap((item) => {
      const tombstone = ended.get(item.guestId);
      if (tombstone?.erased) return [];
      return [tombstone?.mergedInto ? { ...item, guestId: tombstone.mergedInto } : item];
    });
  }

  /**
   * Remembers that `mergedId` lives on as `survivorId`, or as the guest `survivorId` was merged into in
   * turn (merges are keyed by survivor, so S→T can be handled before M→S); ids merged into `mergedId`
   * before now follow it too, so each names the final survivor. A survivor erased meanwhile takes the
   * merged guest with it. The caller holds the locks of both ids, so no other merge of either commits
   * meanwhile. Returns the final survivor and, when erased, the erasure's time.
   */
  async entomb(
    manager: EntityManager,
    mergedId: string,
    survivorId: string,
  ): Promise<{ id: string; erasedAt: Date | null }> {
    const [survivor]: { id: string; erasedAt: Date | null }[] = await manager.query(
      `select coalesce(t.merged_into, s.id) as id, t.erased_at as "erasedAt"
       from (select $1::uuid as id) s left join guest_tombstones t on t.guest_id = s.id`,
      [survivorId],
    );
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

  /** Remembers the erasure, of the guest and of every id merged into them, so no late event revives them. */
  async entombErased(manager: EntityManager, guestId: string, erasedAt: Date): Promise<void> {
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
