import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BookingChannel, EventData, StayReferenceDto } from '@loyalty/contracts';
import { dayNumber, summariseVisits, type VisitSummary } from '@loyalty/lifetime';
import { segmentOf } from '../domain';
import { isVisit, type StayKey } from './nights-store';
import { mayBeProfiled } from './profiling-consent-store';

export interface GuestRow extends VisitSummary {
  readonly guestId: string;
  readonly segment: string;
  /** The IANA zone of the property of the guest's last stay, whose local date the guest is judged on. */
  readonly timeZone: string;
}

/** What the scan judges a guest on: the model (segment), the day (time zone) and the visit figures. */
type JudgedSummary = Pick<
  GuestRow,
  'guestId' | 'segment' | 'firstDay' | 'lastDay' | 'repeatVisits' | 'timeZone'
>;

const GUEST_COLUMNS = `guest_id as "guestId", segment, first_day as "firstDay", last_day as "lastDay",
  repeat_visits as "repeatVisits", mean_interval_days as "meanIntervalDays",
  interval_deviation_days as "intervalDeviationDays", time_zone as "timeZone"`;

/** Each guest's stays and the summary derived from them; every write goes through the caller's transaction. */
@Injectable()
export class VisitStore {
  /**
   * Records the stays; returns, for each stay not recorded before (a redelivery adds nothing), the guest
   * it was recorded for. The caller resolves erased and merged ids first (`GuestTombstones.follow`).
   */
  async addVisits(
    manager: EntityManager,
    stays: readonly EventData<'stay-recorded'>[],
  ): Promise<Map<string, string>> {
    if (stays.length === 0) return new Map();
    const inserted: { guest_id: string; stay_id: string }[] = await manager.query(
      `insert into guest_visits (guest_id, stay_id, property_id, reservation_id, arrival, departure, visit_day, channel,
         time_zone)
       select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::date[], $6::date[], $7::int[], $8::text[],
         $9::text[])
       on conflict do nothing returning guest_id, stay_id`,
      [
        stays.map((stay) => stay.guestId),
        stays.map((stay) => stay.stayId),
        stays.map((stay) => stay.propertyId),
        stays.map((stay) => stay.reservationId),
        stays.map((stay) => stay.arrival),
        stays.map((stay) => stay.departure),
        stays.map((stay) => dayNumber(stay.departure)),
        stays.map((stay) => stay.channel),
        stays.map((stay) => stay.timeZone),
      ],
    );
    return new Map(inserted.map((row) => [row.stay_id, row.guest_id]));
  }

  /**
   * Recomputes the guests' summaries from their visits (segment: how the first stay was booked; time zone:
   * that of the last stay's property). A stay adjusted to 0 nights is none; a guest left with no visit has
   * no summary, so neither the scan nor the refit counts them. The rows are locked in id order.
   */
  async refreshSummaries(
    manager: EntityManager,
    guestIds: readonly string[],
    now: Date,
  ): Promise<Map<string, GuestRow>> {
    const ids = [...new Set(guestIds)].sort();
    if (ids.length === 0) return new Map();
    const visits: { guestId: string; day: number; channel: BookingChannel; timeZone: string }[] =
      await manager.query(
        `select guest_id as "guestId", visit_day as day, channel, time_zone as "timeZone" from guest_visits visit
         where guest_id = any($1::uuid[]) and ${isVisit('visit')} order by guest_id, visit_day, stay_id`,
        [ids],
      );
    const byGuest = new Map<string, { day: number; channel: BookingChannel; timeZone: string }[]>();
    for (const visit of visits) {
      const list = byGuest.get(visit.guestId) ?? [];
      list.push(visit);
      byGuest.set(visit.guestId, list);
    }
    const rows = new Map<string, GuestRow>();
    for (const [guestId, list] of byGuest) {
      const summary = summariseVisits(list.map((visit) => visit.day));
      const { timeZone } = list[list.length - 1];
      rows.set(guestId, { guestId, segment: segmentOf(list[0].channel), timeZone, ...summary });
    }
    const withoutVisits = ids.filter((id) => !rows.has(id));
    if (withoutVisits.length > 0) {
      // Deleted first, their rows would be locked before those of lower ids the upsert writes: all are
      // locked in id order first, as the scan locks them, so the two cannot deadlock.
      await this.lockSummaries(manager, ids);
      await manager.query(`delete from guests where guest_id = any($1::uuid[])`, [withoutVisits]);
    }
    if (rows.size === 0) return rows;
    const written = [...rows.values()];
    await manager.query(
      `insert into guests (guest_id, segment, first_day, last_day, repeat_visits, mean_interval_days,
         interval_deviation_days, time_zone, updated_at)
       select *, $9::timestamptz from unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::int[],
         $6::float8[], $7::float8[], $8::text[])
       on conflict (guest_id) do update set segment = excluded.segment, first_day = excluded.first_day,
         last_day = excluded.last_day, repeat_visits = excluded.repeat_visits,
         mean_interval_days = excluded.mean_interval_days,
         interval_deviation_days = excluded.interval_deviation_days, time_zone = excluded.time_zone,
         updated_at = excluded.updated_at`,
      [
        written.map((row) => row.guestId),
        written.map((row) => row.segment),
        written.map((row) => row.firstDay),
        written.map((row) => row.lastDay),
        written.map((row) => row.repeatVisits),
        written.map((row) => row.meanIntervalDays),
        written.map((row) => row.intervalDeviationDays),
        written.map((row) => row.timeZone),
        now,
      ],
    );
    return rows;
  }

  async guest(manager: EntityManager, guestId: string): Promise<GuestRow | undefined> {
    const rows: GuestRow[] = await manager.query(`select ${GUEST_COLUMNS} from guests where guest_id = $1`, [
      guestId,
    ]);
    return rows[0];
  }

  /** The properties the guest stayed at: what a property-scoped caller may see the guest through. */
  async propertiesStayedAt(manager: EntityManager, guestId: string): Promise<string[]> {
    const rows: { propertyId: string }[] = await manager.query(
      `select distinct property_id as "propertyId" from guest_visits where guest_id = $1`,
      [guestId],
    );
    return rows.map((row) => row.propertyId);
  }

  /**
   * Every guest who does not object to profiling, for fitting (`minRepeat` 0) or for the scan of established
   * patterns.
   */
  async guests(manager: EntityManager, minRepeat = 0): Promise<GuestRow[]> {
    return manager.query(
      `select ${GUEST_COLUMNS} from guests where repeat_visits >= $1 and ${mayBeProfiled('guests.guest_id')}
       order by guest_id`,
      [minRepeat],
    );
  }

  /**
   * Locks the guests' summaries in id order, as the scan and stay batches lock them: a merge writes two
   * guests' summaries, and taking them in the order it writes them deadlocks with a scan locking both.
   */
  async lockSummaries(manager: EntityManager, guestIds: readonly string[]): Promise<void> {
    await manager.query(
      `select 1 from guests where guest_id = any($1::uuid[]) order by guest_id for update`,
      [guestIds],
    );
  }

  /**
   * Locks the summaries of the guests that are still as they were read, in id order as stay batches and
   * merges lock them; returns their ids. Every figure a judgement and its evidence rest on is compared (the
   * mean interval follows from the first and last day and the repeat visits): a merge bringing only older
   * stays, or a middle stay adjusted to 0 nights, leaves the last day as it was. A guest missing from the
   * answer changed since it was read (a stay, an adjustment, a merge or an erasure). A change committing
   * meanwhile updates the row, so the lock orders the two: either the change waits and then sees the
   * episode, or the caller sees the change.
   */
  async lockUnchanged(manager: EntityManager, guests: readonly JudgedSummary[]): Promise<Set<string>> {
    if (guests.length === 0) return new Set();
    const rows: { guestId: string }[] = await manager.query(
      `select guests.guest_id as "guestId"
       from guests join unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::int[], $6::text[])
           as seen (guest_id, segment, first_day, last_day, repeat_visits, time_zone)
         on seen.guest_id = guests.guest_id and seen.segment = guests.segment
           and seen.first_day = guests.first_day and seen.last_day = guests.last_day
           and seen.repeat_visits = guests.repeat_visits and seen.time_zone = guests.time_zone
       order by guests.guest_id for update of guests`,
      [
        guests.map((guest) => guest.guestId),
        guests.map((guest) => guest.segment),
        guests.map((guest) => guest.firstDay),
        guests.map((guest) => guest.lastDay),
        guests.map((guest) => guest.repeatVisits),
        guests.map((guest) => guest.timeZone),
      ],
    );
    return new Set(rows.map((row) => row.guestId));
  }

  /**
   * The guests' visits (not the stays adjusted to 0 nights), each guest's earliest departing first (by stay
   * id on the same day).
   */
  async visitsOf(
    manager: EntityManager,
    guestIds: readonly string[],
  ): Promise<Map<string, StayReferenceDto[]>> {
    const byGuest = new Map<string, StayReferenceDto[]>();
    if (guestIds.length === 0) return byGuest;
    const rows: (StayReferenceDto & { guestId: string })[] = await manager.query(
      `select guest_id as "guestId", stay_id as "stayId", property_id as "propertyId",
         reservation_id as "reservationId", to_char(arrival, 'YYYY-MM-DD') as arrival,
         to_char(departure, 'YYYY-MM-DD') as departure
       from guest_visits visit where guest_id = any($1::uuid[]) and ${isVisit('visit')}
       order by guest_id, visit_day, stay_id`,
      [[...new Set(guestIds)]],
    );
    for (const { guestId, ...stay } of rows) {
      const visits = byGuest.get(guestId) ?? [];
      visits.push(stay);
      byGuest.set(guestId, visits);
    }
    return byGuest;
  }

  /** The guests the stays are recorded for, named by property and reservation as adjustments name them. */
  async guestsWithStays(
    manager: EntityManager,
    stays: readonly { propertyId: string; reservationId: string }[],
  ): Promise<string[]> {
    if (stays.length === 0) return [];
    const rows: { guestId: string }[] = await manager.query(
      `select distinct guest_id as "guestId" from guest_visits
       where (property_id, reservation_id) in (select * from unnest($1::text[], $2::text[]))`,
      [stays.map((stay) => stay.propertyId), stays.map((stay) => stay.reservationId)],
    );
    return rows.map((row) => row.guestId);
  }

  /** The guest's stays (visits or not), by property and reservation as adjustments name them. */
  async staysOf(manager: EntityManager, guestId: string): Promise<StayKey[]> {
    return manager.query(
      `select distinct property_id as "propertyId", reservation_id as "reservationId" from guest_visits
       where guest_id = $1`,
      [guestId],
    );
  }

  /** Moves the merged guest's stays to the survivor; a stay both already have is kept once. */
  async moveVisits(manager: EntityManager, survivorId: string, mergedId: string): Promise<void> {
    await manager.query(
      `insert into guest_visits (guest_id, stay_id, property_id, reservation_id, arrival, departure, visit_day, channel,
         time_zone)
       select $1, stay_id, property_id, reservation_id, arrival, departure, visit_day, channel, time_zone
       from guest_visits where guest_id = $2 on conflict do nothing`,
      [survivorId, mergedId],
    );
    await this.forget(manager, mergedId);
  }

  async forget(manager: EntityManager, guestId: string): Promise<void> {
    await manager.query(`delete from guest_visits where guest_id = $1`, [guestId]);
    await manager.query(`delete from guests where guest_id = $1`, [guestId]);
  }
}
