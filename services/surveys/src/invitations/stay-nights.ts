import type { EntityManager } from 'typeorm';
import { erasedReservationIdOf } from '../domain/erased-stay';
import type { NightsPosting } from '@loyalty/contracts';
import { stayKeyOf } from '../domain/stay-nights';

type Stay = { readonly propertyId: string; readonly reservationId: string };

/** The nights stays were adjusted to (`stay_nights`), by `stayKeyOf`. */
export const StayNights = {
  /** The latest nights posted for each of the stays that has any, as committed. */
  async of(manager: EntityManager, stays: readonly Stay[]): Promise<Map<string, number>> {
    if (stays.length === 0) return new Map();
    const rows: { property_id: string; reservation_id: string; nights: number }[] = await manager.query(
      `select n.property_id, n.reservation_id, n.nights
       from stay_nights n join unnest($1::text[], $2::text[]) as s (property_id, reservation_id)
         using (property_id, reservation_id)`,
      [stays.map((stay) => stay.propertyId), stays.map((stay) => stay.reservationId)],
    );
    return new Map(
      rows.map((row) => [
        stayKeyOf({ propertyId: row.property_id, reservationId: row.reservation_id }),
        row.nights,
      ]),
    );
  },

  /**
   * Keeps each posting (at most one per stay) unless a later one is kept already, and returns the nights
   * each stay is at now. The rows are written in one statement in key order, so two batches cannot
   * deadlock on them. A stay whose invitation an erasure cut off it (its reservation id hashed under
   * `erasureKey`) keeps none: what the erasure deleted is not written again.
   */
  async keepLatest(
    manager: EntityManager,
    postings: readonly NightsPosting[],
    erasureKey: string,
  ): Promise<Map<string, number>> {
    await manager.query(
      `insert into stay_nights (property_id, reservation_id, nights, adjusted_at, adjustment_key)
       select p.property_id, p.reservation_id, p.nights, p.adjusted_at, p.adjustment_key
       from unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::text[], $6::text[])
         as p (property_id, reservation_id, nights, adjusted_at, adjustment_key, erased_reservation_id)
       where not exists (select from invitations i
                         where i.property_id = p.property_id and i.reservation_id = p.erased_reservation_id)
       order by p.property_id collate "C", p.reservation_id collate "C"
       on conflict (property_id, reservation_id) do update
         set nights = excluded.nights, adjusted_at = excluded.adjusted_at, adjustment_key = excluded.adjustment_key
         where (excluded.adjusted_at, excluded.adjustment_key) > (stay_nights.adjusted_at, stay_nights.adjustment_key)`,
      [
        postings.map((posting) => posting.propertyId),
        postings.map((posting) => posting.reservationId),
        postings.map((posting) => posting.nights),
        postings.map((posting) => posting.adjustedAt),
        postings.map((posting) => posting.adjustmentKey),
        postings.map((posting) => erasedReservationIdOf(posting, erasureKey)),
      ],
    );
    // Read again rather than returned: a later posting another transaction committed while this one waited
    // for its row is what the stay is at.
    return StayNights.of(manager, postings);
  },

  /** Deletes what is kept of the stays: an erasure cuts their invitations off them. */
  async forget(manager: EntityManager, stays: readonly Stay[]): Promise<void> {
    if (stays.length === 0) return;
    await manager.query(
      `delete from stay_nights n using unnest($1::text[], $2::text[]) as s (property_id, reservation_id)
       where n.property_id = s.property_id and n.reservation_id = s.reservation_id`,
      [stays.map((stay) => stay.propertyId), stays.map((stay) => stay.reservationId)],
    );
  },
};
