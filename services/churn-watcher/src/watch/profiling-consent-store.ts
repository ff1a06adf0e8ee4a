import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { foldMergedConsents, type ProfilingConsent } from '../domain';

/**
 * SQL that is true unless the guest in `guestColumn` objects to profiling: every read of the guests the
 * watch scores or fits its model on goes through this.
 */
export function mayBeProfiled(guestColumn: string): string {
  return `not exists (select 1 from profiling_consents objection
    where objection.guest_id = ${guestColumn} and not objection.granted)`;
}

/**
 * Whether each guest allows profiling, as of profiles' news of it. Every writer holds the guests' keys
 * (`GuestTombstones`), so the rows are as they were read.
 */
@Injectable()
export class ProfilingConsentStore {
  /** The consents held of the guests, by guest id; a guest profiles never announced has none. */
  async read(manager: EntityManager, guestIds: readonly string[]): Promise<Map<string, ProfilingConsent>> {
    if (guestIds.length === 0) return new Map();
    const rows: (ProfilingConsent & { guestId: string })[] = await manager.query(
      `select guest_id as "guestId", granted,
         to_char(as_of at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "asOf"
       from profiling_consents where guest_id = any($1::uuid[])`,
      [[...new Set(guestIds)]],
    );
    return new Map(rows.map(({ guestId, granted, asOf }) => [guestId, { granted, asOf }]));
  }

  /** Writes the guests' consents, in one statement however many. */
  async write(manager: EntityManager, consents: ReadonlyMap<string, ProfilingConsent>): Promise<void> {
    if (consents.size === 0) return;
    const rows = [...consents];
    await manager.query(
      `insert into profiling_consents (guest_id, granted, as_of)
       select * from unnest($1::uuid[], $2::boolean[], $3::timestamptz[])
       on conflict (guest_id) do update set granted = excluded.granted, as_of = excluded.as_of`,
      [
        rows.map(([guestId]) => guestId),
        rows.map(([, consent]) => consent.granted),
        rows.map(([, consent]) => consent.asOf),
      ],
    );
  }

  /**
   * Those of the guests who object, as committed when this is called: the scan calls it once it holds the
   * guests' rows, which news of an objection takes before closing their episodes.
   */
  async objecting(manager: EntityManager, guestIds: readonly string[]): Promise<Set<string>> {
    if (guestIds.length === 0) return new Set();
    const rows: { guestId: string }[] = await manager.query(
      `select guest_id as "guestId" from profiling_consents where guest_id = any($1::uuid[]) and not granted`,
      [[...new Set(guestIds)]],
    );
    return new Set(rows.map((row) => row.guestId));
  }

  /** Folds the merged guest's consent into the survivor's (`foldMergedConsents`); returns the survivor's. */
  async moveConsent(
    manager: EntityManager,
    survivorId: string,
    mergedId: string,
  ): Promise<ProfilingConsent | undefined> {
    const held = await this.read(manager, [survivorId, mergedId]);
    const folded = foldMergedConsents(held.get(survivorId), held.get(mergedId));
    if (folded) await this.write(manager, new Map([[survivorId, folded]]));
    await this.forget(manager, mergedId);
    return folded;
  }

  async forget(manager: EntityManager, guestId: string): Promise<void> {
    await manager.query(`delete from profiling_consents where guest_id = $1`, [guestId]);
  }
}
