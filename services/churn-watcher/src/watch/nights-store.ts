import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { NightsPosting } from '../domain';

/**
 * Orders the recording of stays and of their nights. An adjustment is often handled while its stay is
 * being recorded (another topic): each would read the other's tables before the other committed, and the
 * stay would count whatever nights were posted for it. Stay batches take this lock shared (they do not
 * wait for each other), adjustments exclusive, before any guest's lock, so one of the two sees the other's
 * writes. One lock, not one per stay: a back-fill batch records thousands of stays.
 */
const STAYS_AND_NIGHTS_LOCK = `hashtextextended('churn-watcher:stays-and-nights', 0)`;

/** The nights adjustments posted for stays (`stay_nights`); every write goes through the caller's transaction. */
@Injectable()
export class NightsStore {
  /** Taken by a stay batch, before its guests' locks: an adjustment handled meanwhile waits for it. */
  async lockForStays(manager: EntityManager): Promise<void> {
    await manager.query(`select pg_advisory_xact_lock_shared(${STAYS_AND_NIGHTS_LOCK})`);
  }

  /** Taken by adjustments, before their guests' locks: stays being recorded commit first, and new ones wait. */
  async lockForNights(manager: EntityManager): Promise<void> {
    await manager.query(`select pg_advisory_xact_lock(${STAYS_AND_NIGHTS_LOCK})`);
  }

  /**
   * Keeps each posting unless one posted after it is kept already (one per stay, `latestNightsPerStay`);
   * returns the stays whose nights it set.
   */
  async keepLatest(
    manager: EntityManager,
    postings: readonly NightsPosting[],
  ): Promise<{ propertyId: string; reservationId: string }[]> {
    if (postings.length === 0) return [];
    // Instants to the millisecond, as `postedAfter` compares them; keys in byte order ("C"), as it does.
    return manager.query(
      `insert into stay_nights (property_id, reservation_id, nights, adjusted_at, adjustment_key)
       select * from unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::text[])
       on conflict (property_id, reservation_id) do update set nights = excluded.nights,
         adjusted_at = excluded.adjusted_at, adjustment_key = excluded.adjustment_key
       where (excluded.adjusted_at, excluded.adjustment_key collate "C")
           > (stay_nights.adjusted_at, stay_nights.adjustment_key collate "C")
       returning property_id as "propertyId", reservation_id as "reservationId"`,
      [
        postings.map((posting) => posting.propertyId),
        postings.map((posting) => posting.reservationId),
        postings.map((posting) => posting.nights),
        postings.map((posting) => new Date(posting.adjustedAt).toISOString()),
        postings.map((posting) => posting.adjustmentKey),
      ],
    );
  }
}

/**
 * SQL that is true when the stay in `guest_visits` row `visit` is a visit: unless an adjustment left it at
 * 0 nights (a stay is recorded with at least one).
 */
export function isVisit(visit: string): string {
  return `not exists (select 1 from stay_nights nights where nights.property_id = ${visit}.property_id
    and nights.reservation_id = ${visit}.reservation_id and nights.nights = 0)`;
}
