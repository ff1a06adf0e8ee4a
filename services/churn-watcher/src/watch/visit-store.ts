import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BookingChannel, EventData, StayReferenceDto } from '@loyalty/contracts';
import { dayNumber, summariseVisits, type VisitSummary } from '@loyalty/lifetime';
import { segmentOf } from '../domain';

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
  /** False when the stay was already recorded (a redelivery under another event id). */
  async addVisit(manager: EntityManager, stay: EventData<'stay-recorded'>): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `insert into guest_visits (guest_id, stay_id, property_id, reservation_id, arrival, departure, visit_day, channel)
       values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing returning 1`,
      [
        stay.guestId,
        stay.stayId,
        stay.propertyId,
        stay.reservationId,
        stay.arrival,
        stay.departure,
        dayNumber(stay.departure),
        stay.channel,
      ],
    );
    return inserted.length > 0;
  }

  /** Recomputes the guest's summary from their visits (segment: how the first stay was booked). */
  async refreshSummary(manager: EntityManager, guestId: string, now: Date): Promise<GuestRow | undefined> {
    const visits: { day: number; channel: BookingChannel }[] = await manager.query(
      `select visit_day as day, channel from guest_visits where guest_id = $1 order by visit_day, stay_id`,
      [guestId],
    );
    if (visits.length === 0) return undefined;
    const summary = summariseVisits(visits.map((visit) => visit.day));
    const row = { guestId, segment: segmentOf(visits[0].channel), ...summary };
    await manager.query(
      `insert into guests (guest_id, segment, first_day, last_day, repeat_visits, mean_interval_days,
         interval_deviation_days, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (guest_id) do update set segment = excluded.segment, first_day = excluded.first_day,
         last_day = excluded.last_day, repeat_visits = excluded.repeat_visits,
         mean_interval_days = excluded.mean_interval_days,
         interval_deviation_days = excluded.interval_deviation_days, updated_at = excluded.updated_at`,
      [
        guestId,
        row.segment,
        row.firstDay,
        row.lastDay,
        row.repeatVisits,
        row.meanIntervalDays,
        row.intervalDeviationDays,
        now,
      ],
    );
    return row;
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
