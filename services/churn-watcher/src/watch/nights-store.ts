import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { NightsPosting } from '@loyalty/contracts';

export interface StayKey {
  readonly propertyId: string;
  readonly reservationId: string;
}

/**
 * The nights adjustments posted for stays (`stay_nights`); every write goes through the caller's transaction.
 *
 * The row of a stay also orders its recording with its adjustments. An adjustment is often handled while
 * its stay is being recorded (another topic): each would read the other's tables before the other
 * committed, and the stay would count whatever nights were posted for it. So a stay batch writes the row
 * of each of its stays (`lockForStays`) and an adjustment upserts it (`keepLatest`), both before any
 * guest's lock: the second to come waits on the row for the first to commit, and its later statements see
 * the first's writes. Only a stay and its own adjustments wait for each other. Both take the rows in one
 * statement, in (property, reservation) byte order, so two transactions cannot deadlock on them.
 */
@Injectable()
export class NightsStore {
  /**
   * Taken by a stay batch, before its guests' locks: writes each stay's row, with no posting unless one is
   * kept, and keeps it locked until commit. An adjustment of one of the stays handled meanwhile waits for
   * the batch, and the batch waits for one being handled.
   */
  async lockForStays(manager: EntityManager, stays: readonly StayKey[]): Promise<void> {
    if (stays.length === 0) return;
    // `do update ... where false` locks a row already there (a posting kept before the stay came) without
    // writing it: `do nothing` would leave it unlocked, and an adjustment would update it without waiting.
    await manager.query(
      `insert into stay_nights (property_id, reservation_id)
       select distinct property_id collate "C", reservation_id collate "C"
       from unnest($1::text[], $2::text[]) as stay (property_id, reservation_id)
       order by 1, 2
       on conflict (property_id, reservation_id) do update set nights = stay_nights.nights where false`,
      [stays.map((stay) => stay.propertyId), stays.map((stay) => stay.reservationId)],
    );
  }

  /**
   * Locks the rows of the guests' stays, in the order `lockForStays` takes them: a merge or an erasure takes
   * them before the guests' keys, as a stay batch and an adjustment do, as it may delete them.
   */
  async lockStaysOf(manager: EntityManager, guestIds: readonly string[]): Promise<void> {
    await manager.query(
      `select 1 from stay_nights
       where (property_id, reservation_id) in
         (select property_id, reservation_id from guest_visits where guest_id = any($1::uuid[]))
       order by property_id collate "C", reservation_id collate "C"
       for update`,
      [guestIds],
    );
  }

  /**
   * Deletes the rows of the stays that no stored visit names any more (an erased guest's). A reservation
   * another guest stayed on keeps its row: its nights decide whether that guest's stay is a visit.
   */
  async forgetUnvisited(manager: EntityManager, stays: readonly StayKey[]): Promise<void> {
    if (stays.length === 0) return;
    await manager.query(
      `delete from stay_nights nights using unnest($1::text[], $2::text[]) as stay (property_id, reservation_id)
       where nights.property_id = stay.property_id and nights.reservation_id = stay.reservation_id
         and not exists (select 1 from guest_visits visit
           where visit.property_id = nights.property_id and visit.reservation_id = nights.reservation_id)`,
      [stays.map((stay) => stay.propertyId), stays.map((stay) => stay.reservationId)],
    );
  }

  /**
   * Keeps each posting unless one posted after it is kept already (one per stay, `latestNightsPerStay`);
   * returns the stays whose nights it set. Taken by adjustments before their guests' locks: a stay batch
   * recording one of the stays commits first, or waits for this to commit.
   */
  async keepLatest(manager: EntityManager, postings: readonly NightsPosting[]): Promise<StayKey[]> {
    if (postings.length === 0) return [];
    // Instants to the microsecond (timestamptz), as `postedAfter` compares them; keys in byte order ("C"),
    // as it does. A row with no posting (its stay's batch wrote it) takes any.
    return manager.query(
      `insert into stay_nights (property_id, reservation_id, nights, adjusted_at, adjustment_key)
       select * from unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::text[])
         as posting (property_id, reservation_id, nights, adjusted_at, adjustment_key)
       order by property_id collate "C", reservation_id collate "C"
       on conflict (property_id, reservation_id) do update set nights = excluded.nights,
         adjusted_at = excluded.adjusted_at, adjustment_key = excluded.adjustment_key
       where stay_nights.adjusted_at is null
         or (excluded.adjusted_at, excluded.adjustment_key collate "C")
           > (stay_nights.adjusted_at, stay_nights.adjustment_key collate "C")
       returning property_id as "propertyId", reservation_id as "reservationId"`,
      [
        postings.map((posting) => posting.propertyId),
        postings.map((posting) => posting.reservationId),
        postings.map((posting) => posting.nights),
        postings.map((posting) => posting.adjustedAt),
        postings.map((posting) => posting.adjustmentKey),
      ],
    );
  }
}

/**
 * SQL that is true when the stay in `guest_visits` row `visit` is a visit: unless an adjustment left it at
 * 0 nights (a stay is recorded with at least one). A row with no posting yet (null nights) is a visit.
 */
export function isVisit(visit: string): string {
  return `not exists (select 1 from stay_nights nights where nights.property_id = ${visit}.property_id
    and nights.reservation_id = ${visit}.reservation_id and nights.nights = 0)`;
}
