import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData, Tier } from '@loyalty/contracts';
import { GuestTombstones, PostgresTimeZones, type CurrentGuest } from '@loyalty/persistence';

/**
 * What complaints keeps about guests from other services' events: their tier, their stays, and what became
 * of merged and erased guests, so a late stay of a merged id is the survivor's.
 */
@Injectable()
export class GuestFacts {
  private readonly logger = new Logger(GuestFacts.name);
  /** Zones already logged as unknown to Postgres, so a property's every stay does not log it again. */
  private readonly zonesLogged = new Set<string>();

  constructor(
    private readonly tombstones: GuestTombstones,
    private readonly timeZones: PostgresTimeZones,
  ) {}

  async tierOf(manager: EntityManager, guestId: string): Promise<Tier> {
    const [row]: { tier: Tier }[] = await manager.query('select tier from guest_tiers where guest_id = $1', [
      guestId,
    ]);
    return row?.tier ?? 'member';
  }

  /**
   * Keeps each guest's latest change from a run of `tier-changed`, in their order (of two at one instant,
   * the later): a redelivered older change does not overwrite a newer one. A change of an id merged away
   * is dropped, not the survivor's: it came before the merge (the ledger closed the merged account), and
   * the ledger, merging the accounts, announced the survivor's tier itself if that changed it.
   */
  async recordTiers(
    manager: EntityManager,
    run: readonly { guestId: string; tier: Tier; changedAt: string }[],
  ): Promise<void> {
    const current = await this.tombstones.current(
      manager,
      run.map((change) => change.guestId),
    );
    const changes = run.filter((change) => current.get(change.guestId)?.guestId === change.guestId);
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

  /**
   * Keeps each stay once, with its property's time zone (its dates are local to it). A stay kept before
   * zones were kept gets its zone when `stay-recorded` is delivered again. A zone Postgres does not know is
   * kept as none (the insights then read the stay's instants in UTC): the insights' statements convert with
   * `at time zone`, which would fail whole, for the chain, on it. The stay is kept all the same, as its
   * guest's stays count more than its hours; delivered again once Postgres knows the zone, it gets it.
   */
  async recordStays(manager: EntityManager, run: readonly EventData<'stay-recorded'>[]): Promise<void> {
    const stays = await this.ofCurrentGuests(manager, run);
    if (stays.length === 0) return;
    const unknown = new Set(
      await this.timeZones.unknownOf(
        manager,
        stays.map((stay) => stay.timeZone),
      ),
    );
    for (const stay of stays)
      if (unknown.has(stay.timeZone) && !this.zonesLogged.has(stay.timeZone)) {
        this.zonesLogged.add(stay.timeZone);
        this.logger.warn(
          `Postgres does not know time zone ${stay.timeZone} (property ${stay.propertyId}): its stays are ` +
            'kept without a zone, and the insights read them in UTC',
        );
      }
    await manager.query(
      `insert into stays (stay_id, guest_id, property_id, arrival, departure, time_zone)
       select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::date[], $6::text[])
       on conflict (stay_id) do update set time_zone = excluded.time_zone where stays.time_zone is null`,
      [
        stays.map((stay) => stay.stayId),
        stays.map((stay) => stay.guestId),
        stays.map((stay) => stay.propertyId),
        stays.map((stay) => stay.arrival),
        stays.map((stay) => stay.departure),
        stays.map((stay) => (unknown.has(stay.timeZone) ? null : stay.timeZone)),
      ],
    );
  }

  /**
   * The guest an id stands for now: the final survivor of an id merged away. An erased guest keeps its
   * id (its complaints and stays still count, anonymously). The id stays locked until commit.
   */
  async currentGuest(manager: EntityManager, guestId: string): Promise<CurrentGuest> {
    return (await this.tombstones.current(manager, [guestId])).get(guestId) as CurrentGuest;
  }

  /**
   * Records the merge and moves the merged guest's stays to the final survivor, which keeps its own tier
   * if it has one; returns the final survivor (see `GuestTombstones.entomb`).
   */
  async merge(manager: EntityManager, survivorId: string, mergedId: string): Promise<CurrentGuest> {
    const survivor = await this.tombstones.entomb(manager, mergedId, survivorId);
    await manager.query('update stays set guest_id = $1 where guest_id = $2', [survivor.id, mergedId]);
    // Taken as of no time: the merged guest's own change could be newer than the survivor's, handled late
    // on another partition, which must still stand (the ledger announces a tier the merge itself changes).
    await manager.query(
      `insert into guest_tiers (guest_id, tier, changed_at)
       select $1, tier, '-infinity' from guest_tiers where guest_id = $2 on conflict (guest_id) do nothing`,
      [survivor.id, mergedId],
    );
    await manager.query('delete from guest_tiers where guest_id = $1', [mergedId]);
    return { guestId: survivor.id, erased: survivor.erasedAt !== null };
  }

  /** Remembers the erasure, so a merge into the guest handled later erases what it brings. */
  async erase(manager: EntityManager, guestId: string, erasedAt: Date): Promise<void> {
    await this.tombstones.entombErased(manager, guestId, erasedAt);
  }

  /** The facts, each under the guest its id stands for now. */
  private async ofCurrentGuests<T extends { readonly guestId: string }>(
    manager: EntityManager,
    facts: readonly T[],
  ): Promise<T[]> {
    const current = await this.tombstones.current(
      manager,
      facts.map((fact) => fact.guestId),
    );
    return facts.map((fact) => {
      const { guestId } = current.get(fact.guestId) as CurrentGuest;
      return guestId === fact.guestId ? fact : { ...fact, guestId };
    });
  }
}
