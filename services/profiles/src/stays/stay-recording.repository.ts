import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface IdentityKey {
  loyaltyNumber?: string;
  propertyId: string;
  externalProfileRef: string;
}

/** Guests, the identities property systems know them by, their stays and points, in the caller's transaction. */
@Injectable()
export class StayRecordingRepository {
  /**
   * The guest an identity belongs to, created on first sight. The walking skeleton matches on the
   * loyalty number, then the property system's profile reference; the profiles issue brings the full
   * resolution rules (email, phone, scored suggestions).
   */
  async resolveGuest(manager: EntityManager, identity: IdentityKey): Promise<string> {
    const keys: [string, string][] = [[`pms:${identity.propertyId}`, identity.externalProfileRef]];
    if (identity.loyaltyNumber) keys.unshift(['loyalty', identity.loyaltyNumber]);
    const found: { guest_id: string }[] = await manager.query(
      `select guest_id from guest_identities
       where (source, reference) in (select * from unnest($1::text[], $2::text[]))
       order by source = 'loyalty' desc limit 1`,
      [keys.map((k) => k[0]), keys.map((k) => k[1])],
    );
    const guestId = found[0]?.guest_id ?? randomUUID();
    if (!found[0]) await manager.query('insert into guests (id) values ($1)', [guestId]);
    await manager.query(
      `insert into guest_identities (source, reference, guest_id)
       select s, r, $3 from unnest($1::text[], $2::text[]) as k(s, r)
       on conflict do nothing`,
      [keys.map((k) => k[0]), keys.map((k) => k[1]), guestId],
    );
    return guestId;
  }

  /** Records the stay unless this reservation was recorded before; returns its new id, or undefined. */
  async recordStay(
    manager: EntityManager,
    stay: {
      guestId: string;
      propertyId: string;
      reservationId: string;
      arrival: string;
      departure: string;
      nights: number;
    },
  ): Promise<string | undefined> {
    const rows: { id: string }[] = await manager.query(
      `insert into stays (id, guest_id, property_id, reservation_id, arrival, departure, nights)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (property_id, reservation_id) do nothing
       returning id`,
      [
        randomUUID(),
        stay.guestId,
        stay.propertyId,
        stay.reservationId,
        stay.arrival,
        stay.departure,
        stay.nights,
      ],
    );
    return rows[0]?.id;
  }

  async updatePoints(manager: EntityManager, guestId: string, balance: number, asOf: string): Promise<void> {
    // Events of one guest arrive in order, but a replay may bring an older one: keep the newest balance.
    await manager.query(
      `update guests set points_balance = $2, points_as_of = $3
       where id = $1 and (points_as_of is null or points_as_of <= $3)`,
      [guestId, balance, asOf],
    );
  }

  async summary(
    manager: EntityManager,
    guestId: string,
  ): Promise<{ stays: number; pointsBalance: number | null } | undefined> {
    const rows: { stays: string; points_balance: number | null }[] = await manager.query(
      `select (select count(*) from stays where guest_id = g.id) as stays, g.points_balance
       from guests g where g.id = $1`,
      [guestId],
    );
    return rows[0] && { stays: Number(rows[0].stays), pointsBalance: rows[0].points_balance };
  }
}
