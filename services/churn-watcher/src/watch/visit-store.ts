import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BookingChannel, EventData, StayReferenceDto } from '@loyalty/contracts';
import { dayNumber, summariseVisits, type VisitSummary } from '@loyalty/lifetime';
import { segmentOf } from '../domain';
import { TombstoneStore } from './tombstone-store';

export interface GuestRow extends VisitSummary {
  readonly guestId: string;
  readonly segment: string;
}

const GUEST_COLUMNS = `guest_id as "guestId", segment, first_day as "firstDay", last_day as "lastDay",
  repeat_visits as "repeatVisits", mean_interval_days as "meanIntervalDays",
  interval_deviation_days as "intervalDeviationDays"`;

/** Each guest's stays and the summary derived from them; every write goes through the caller's transaction. */
@Injectable()
export class VisitStore {
  constructor(private readonly tombstones: TombstoneStore) {}

  /**
   * Records the stays; returns, for each stay not recorded before (a redelivery adds nothing), the guest
   * it was recorded for. A stay of an erased guest is dropped and one of a merged id goes to the survivor,
   * so a stay arriving after the erasure or merge does not bring the guest back.
   */
  async addVisits(
    manager: EntityManager,
    stays: readonly EventData<'stay-recorded'>[],
  ): Promise<Map<string, string>> {
    const kept = await this.tombstones.follow(manager, stays);
    if (kept.length === 0) return new Map();
    const inserted: { guest_id: string; stay_id: string }[] = await manager.query(
      `insert into guest_visits (guest_id, stay_id, property_id, reservation_id, arrival, departure, visit_day, channel)
       select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::date[], $6::date[], $7::int[], $8::text[])
       on conflict do nothing returning guest_id, stay_id`,
      [
        kept.map((stay) => stay.guestId),
        kept.map((stay) => stay.stayId),
        kept.map((stay) => stay.propertyId),
        kept.map((stay) => stay.reservationId),
        kept.map((stay) => stay.arrival),
        kept.map((stay) => stay.departure),
        kept.map((stay) => dayNumber(stay.departure)),
        kept.map((stay) => stay.channel),
      ],
    );
    return new Map(inserted.map((row) => [row.stay_id, row.guest_id]));
  }

  /** Recomputes the guests' summaries from their visits (segment: how the first stay was booked). */
  async refreshSummaries(
    manager: EntityManager,
    guestIds: readonly string[],
    now: Date,
  ): Promise<Map<string, GuestRow>> {
    const ids = [...new Set(guestIds)].sort();
    if (ids.length === 0) return new Map();
    const visits: { guestId: string; day: number; channel: BookingChannel }[] = await manager.query(
      `select guest_id as "guestId", visit_day as day, channel from guest_visits
       where guest_id = any($1::uuid[]) order by guest_id, visit_day, stay_id`,
      [ids],
    );
    const byGuest = new Map<string, { day: number; channel: BookingChannel }[]>();
    for (const visit of visits) {
      const list = byGuest.get(visit.guestId) ?? [];
      list.push(visit);
      byGuest.set(visit.guestId, list);
    }
    const rows = new Map<string, GuestRow>();
    for (const [guestId, list] of byGuest) {
      const summary = summariseVisits(list.map((visit) => visit.day));
      rows.set(guestId, { guestId, segment: segmentOf(list[0].channel), ...summary });
    }
    if (rows.size === 0) return rows;
    const written = [...rows.values()];
    await manager.query(
      `insert into guests (guest_id, segment, first_day, last_day, repeat_visits, mean_interval_days,
         interval_deviation_days, updated_at)
       select *, $8::timestamptz from unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::int[],
         $6::float8[], $7::float8[])
       on conflict (guest_id) do update set segment = excluded.segment, first_day = excluded.first_day,
         last_day = excluded.last_day, repeat_visits = excluded.repeat_visits,
         mean_interval_days = excluded.mean_interval_days,
         interval_deviation_days = excluded.interval_deviation_days, updated_at = excluded.updated_at`,
      [
        written.map((row) => row.guestId),
        written.map((row) => row.segment),
        written.map((row) => row.firstDay),
        written.map((row) => row.lastDay),
        written.map((row) => row.repeatVisits),
        written.map((row) => row.meanIntervalDays),
        written.map((row) => row.intervalDeviationDays),
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

  /** Every guest, for fitting (`minRepeat` 0) or for the scan of established patterns. */
  async guests(manager: EntityManager, minRepeat = 0): Promise<GuestRow[]> {
    return manager.query(`select ${GUEST_COLUMNS} from guests where repeat_visits >= $1 order by guest_id`, [
      minRepeat,
    ]);
  }

  /**
   * Locks the guest's summary if it still ends on `lastDay`; false when a stay (or a merge or erasure)
   * changed it since it was read. A stay committing meanwhile updates this row, so the lock orders the two:
   * either the stay waits and then sees the episode, or the caller sees the stay.
   */
  async lockUnchanged(manager: EntityManager, guestId: string, lastDay: number): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `select 1 from guests where guest_id = $1 and last_day = $2 for update`,
      [guestId, lastDay],
    );
    return rows.length > 0;
  }

  async latestStay(manager: EntityManager, guestId: string): Promise<StayReferenceDto> {
    const rows: StayReferenceDto[] = await manager.query(
      `select stay_id as "stayId", property_id as "propertyId", reservation_id as "reservationId",
         to_char(arrival, 'YYYY-MM-DD') as arrival, to_char(departure, 'YYYY-MM-DD') as departure
       from guest_visits where guest_id = $1 order by visit_day desc, stay_id limit 1`,
      [guestId],
    );
    return rows[0];
  }

  /** Moves the merged guest's stays to the survivor; a stay both already have is kept once. */
  async moveVisits(manager: EntityManager, survivorId: string, mergedId: string): Promise<void> {
    await manager.query(
      `insert into guest_visits (guest_id, stay_id, property_id, reservation_id, arrival, departure, visit_day, channel)
       select $1, stay_id, property_id, reservation_id, arrival, departure, visit_day, channel
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
