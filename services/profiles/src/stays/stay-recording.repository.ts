import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface StayToRecord {
  guestId: string;
  propertyId: string;
  reservationId: string;
  arrival: string;
  departure: string;
  nights: number;
  roomType: string;
  propertyRevenueMinor: number;
  propertyCurrency: string;
  programRevenueMinor: number;
}

export interface ReservationRef {
  propertyId: string;
  reservationId: string;
}

/** One reservation, whichever event (or event id) brought it. */
export const reservationKey = (r: ReservationRef): string => `${r.propertyId}:${r.reservationId}`;

/** The first event of each reservation, in order: the same reservation twice (a resend) counts once. */
export function firstOfEachReservation<E extends { data: ReservationRef }>(events: readonly E[]): E[] {
  const first = new Map<string, E>();
  for (const event of events)
    if (!first.has(reservationKey(event.data))) first.set(reservationKey(event.data), event);
  return [...first.values()];
}

/** Stays and the points balance seen from the ledger, in the caller's transaction. */
@Injectable()
export class StayRecordingRepository {
  /** Reservations of this list that were recorded before, by `reservationKey`: the guest each stay is under. */
  async alreadyRecorded(manager: EntityManager, keys: ReservationRef[]): Promise<Map<string, string>> {
    if (!keys.length) return new Map();
    const rows: { property_id: string; reservation_id: string; guest_id: string }[] = await manager.query(
      // Reservation by reservation through its unique index (a lateral `limit 1`): as a semi-join, Postgres
      // reads every stay on file to hash them.
      `select r.property_id, r.reservation_id, s.guest_id
       from unnest($1::text[], $2::text[]) as r (property_id, reservation_id)
       cross join lateral (
         select guest_id from stays
         where stays.property_id = r.property_id and stays.reservation_id = r.reservation_id limit 1) as s`,
      [keys.map((k) => k.propertyId), keys.map((k) => k.reservationId)],
    );
    return new Map(
      rows.map((r) => [
        reservationKey({ propertyId: r.property_id, reservationId: r.reservation_id }),
        r.guest_id,
      ]),
    );
  }

  /**
   * Of these reservations, by `reservationKey`, in one round trip: the guest of those recorded before
   * (`alreadyRecorded`), and who booked those not recorded yet whose booker was erased since, and when.
   */
  async recordedOrBookedByErased(
    manager: EntityManager,
    keys: ReservationRef[],
  ): Promise<{
    recorded: Map<string, string>;
    bookedByErased: Map<string, { guestId: string; erasedAt: Date }>;
  }> {
    const recorded = new Map<string, string>();
    const bookedByErased = new Map<string, { guestId: string; erasedAt: Date }>();
    if (!keys.length) return { recorded, bookedByErased };
    const rows: {
      property_id: string;
      reservation_id: string;
      stay_guest_id: string | null;
      booker_id: string | null;
      erased_at: Date | null;
    }[] = await manager.query(
      // Reservation by reservation through the unique indexes (lateral `limit 1`s), as `alreadyRecorded`.
      `select r.property_id, r.reservation_id, s.guest_id as stay_guest_id, b.guest_id as booker_id, b.erased_at
       from unnest($1::text[], $2::text[]) as r (property_id, reservation_id)
       left join lateral (
         select guest_id from stays
         where stays.property_id = r.property_id and stays.reservation_id = r.reservation_id limit 1) as s on true
       left join lateral (
         select booked.guest_id, g.erased_at from reservations booked join guests g on g.id = booked.guest_id
         where booked.property_id = r.property_id and booked.reservation_id = r.reservation_id
           and g.status = 'erased' limit 1) as b on s.guest_id is null
       where s.guest_id is not null or b.guest_id is not null`,
      [keys.map((k) => k.propertyId), keys.map((k) => k.reservationId)],
    );
    for (const row of rows) {
      const key = reservationKey({ propertyId: row.property_id, reservationId: row.reservation_id });
      if (row.stay_guest_id) recorded.set(key, row.stay_guest_id);
      else if (row.booker_id && row.erased_at)
        bookedByErased.set(key, { guestId: row.booker_id, erasedAt: row.erased_at });
    }
    return { recorded, bookedByErased };
  }

  /** Records the stays not recorded before; returns the new stay id per `propertyId:reservationId`. */
  async recordStays(manager: EntityManager, stays: StayToRecord[]): Promise<Map<string, string>> {
    if (!stays.length) return new Map();
    const rows: { id: string; property_id: string; reservation_id: string }[] = await manager.query(
      `insert into stays (id, guest_id, property_id, reservation_id, arrival, departure, nights,
                          property_revenue_minor, property_currency, program_revenue_minor, room_type)
       select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::date[], $6::date[], $7::int[],
                            $8::bigint[], $9::text[], $10::bigint[], $11::text[])
       on conflict (property_id, reservation_id) do nothing
       returning id, property_id, reservation_id`,
      [
        stays.map(() => randomUUID()),
        stays.map((s) => s.guestId),
        stays.map((s) => s.propertyId),
        stays.map((s) => s.reservationId),
        stays.map((s) => s.arrival),
        stays.map((s) => s.departure),
        stays.map((s) => s.nights),
        stays.map((s) => s.propertyRevenueMinor),
        stays.map((s) => s.propertyCurrency),
        stays.map((s) => s.programRevenueMinor),
        stays.map((s) => s.roomType),
      ],
    );
    return new Map(
      rows.map((r) => [reservationKey({ propertyId: r.property_id, reservationId: r.reservation_id }), r.id]),
    );
  }

  async summary(
    manager: EntityManager,
    guestId: string,
  ): Promise<{ stays: number; pointsBalance: number | null } | undefined> {
    const rows: { stays: string; points_balance: number | null }[] = await manager.query(
      `select (select count(*) from stays where guest_id = g.id and nights > 0) as stays, f.points_balance
       from guests g left join guest_facts f on f.guest_id = g.id where g.id = $1`,
      [guestId],
    );
    return rows[0] && { stays: Number(rows[0].stays), pointsBalance: rows[0].points_balance };
  }
}
