import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData, Tier } from '@loyalty/contracts';

/** What complaints keeps about guests from other services' events: their tier and their stays. */
@Injectable()
export class GuestFacts {
  async tierOf(manager: EntityManager, guestId: string): Promise<Tier> {
    const [row]: { tier: Tier }[] = await manager.query('select tier from guest_tiers where guest_id = $1', [
      guestId,
    ]);
    return row?.tier ?? 'member';
  }

  /**
   * Keeps each guest's latest change from a run of `tier-changed`, in their order (of two at one instant,
   * the later): a redelivered older change does not overwrite a newer one.
   */
  async recordTiers(
    manager: EntityManager,
    changes: readonly { guestId: string; tier: Tier; changedAt: string }[],
  ): Promise<void> {
    if (changes.length === 0) return;
    await manager.query(
      `insert into guest_tiers (guest_id, tier, changed_at)
       select distinct on (guest_id) guest_id, tier, changed_at
       from unnest($1::uuid[], $2::text[], $3::timestamptz[]) with ordinality as t(guest_id, tier, changed_at, n)
       order by guest_id, changed_at desc, n desc
       on conflict (guest_id) do update set tier = excluded.tier, changed_at = excluded.changed_at
       where guest_tiers.changed_at <= excluded.changed_at`,
      [changes.map((c) => c.guestId), changes.map((c) => c.tier), changes.map((c) => c.changedAt)],
    );
  }

  async recordStays(manager: EntityManager, stays: EventData<'stay-recorded'>[]): Promise<void> {
    if (stays.length === 0) return;
    await manager.query(
      `insert into stays (stay_id, guest_id, property_id, arrival, departure)
       select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::date[])
       on conflict (stay_id) do nothing`,
      [
        stays.map((stay) => stay.stayId),
        stays.map((stay) => stay.guestId),
        stays.map((stay) => stay.propertyId),
        stays.map((stay) => stay.arrival),
        stays.map((stay) => stay.departure),
      ],
    );
  }

  /** The merged guest's stays become the survivor's; the survivor keeps its own tier if it has one. */
  async merge(manager: EntityManager, survivorId: string, mergedId: string): Promise<void> {
    await manager.query('update stays set guest_id = $1 where guest_id = $2', [survivorId, mergedId]);
    await manager.query(
      `insert into guest_tiers (guest_id, tier, changed_at)
       select $1, tier, changed_at from guest_tiers where guest_id = $2 on conflict (guest_id) do nothing`,
      [survivorId, mergedId],
    );
    await manager.query('delete from guest_tiers where guest_id = $1', [mergedId]);
  }
}
