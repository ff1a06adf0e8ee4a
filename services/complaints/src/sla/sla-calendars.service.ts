import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ALWAYS_OPEN,
  validateCalendar,
  workingTimeOf,
  type BusinessCalendar,
  type WorkingTime,
} from '../domain';

/** Each property's optional business calendar, and the working time an SLA timer counts in. */
@Injectable()
export class SlaCalendars {
  async get(manager: EntityManager, propertyId: string): Promise<BusinessCalendar | undefined> {
    const [row]: BusinessCalendar[] = await manager.query(
      'select time_zone as "timeZone", hours, holidays from property_calendars where property_id = $1',
      [propertyId],
    );
    return row;
  }

  async put(
    manager: EntityManager,
    propertyId: string,
    calendar: BusinessCalendar,
    now: Date,
  ): Promise<void> {
    validateCalendar(calendar);
    await manager.query(
      `insert into property_calendars (property_id, time_zone, hours, holidays, updated_at)
       values ($1, $2, $3, $4, $5)
       on conflict (property_id) do update set time_zone = excluded.time_zone, hours = excluded.hours,
         holidays = excluded.holidays, updated_at = excluded.updated_at`,
      [propertyId, calendar.timeZone, JSON.stringify(calendar.hours), JSON.stringify(calendar.holidays), now],
    );
  }

  /** Business hours when the timer counts them and the property has a calendar; otherwise every minute. */
  async workingTime(
    manager: EntityManager,
    propertyId: string,
    businessHours: boolean,
  ): Promise<WorkingTime> {
    if (!businessHours) return ALWAYS_OPEN;
    const calendar = await this.get(manager, propertyId);
    return calendar ? workingTimeOf(calendar) : ALWAYS_OPEN;
  }
}
