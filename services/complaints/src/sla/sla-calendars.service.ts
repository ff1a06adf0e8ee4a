import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '@loyalty/auth';
import { lockKeysUntilCommit } from '@loyalty/persistence';
import { pageOf, type Page } from '@loyalty/platform';
import type { Actor } from '../complaints/complaint-record';
import { decodeCursor } from '../complaints/page';
import {
  ALWAYS_OPEN,
  validateCalendar,
  workingTimeOf,
  type BusinessCalendar,
  type WorkingTime,
} from '../domain';
import type { CalendarChangesQueryDto } from './dto/calendar-changes.dto';

/** One change of a property's calendar: who, when, before (null for the first) and after. */
export interface CalendarChange {
  at: Date;
  actor: string;
  actorRoles: Role[];
  before: BusinessCalendar | null;
  after: BusinessCalendar;
}

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

  /**
   * Validates and stores the property's calendar, with a line in its changes: who, when, before and after.
   * Changes of one property's calendar are serialised, so each line's `before` is the previous line's `after`.
   * @throws ComplaintError INVALID_CALENDAR naming the wrong field.
   */
  async put(
    manager: EntityManager,
    propertyId: string,
    input: unknown,
    actor: Actor,
    now: Date,
  ): Promise<BusinessCalendar> {
    const calendar = validateCalendar(input);
    await lockKeysUntilCommit(manager, [`property-calendar:${propertyId}`]);
    const before = await this.get(manager, propertyId);
    await manager.query(
      `insert into property_calendars (property_id, time_zone, hours, holidays, updated_at)
       values ($1, $2, $3, $4, $5)
       on conflict (property_id) do update set time_zone = excluded.time_zone, hours = excluded.hours,
         holidays = excluded.holidays, updated_at = excluded.updated_at`,
      [propertyId, calendar.timeZone, JSON.stringify(calendar.hours), JSON.stringify(calendar.holidays), now],
    );
    await manager.query(
      `insert into property_calendar_changes (property_id, at, actor, actor_roles, before, after)
       values ($1, $2, $3, $4, $5, $6)`,
      [
        propertyId,
        now,
        actor.id,
        actor.roles,
        before ? JSON.stringify(before) : null,
        JSON.stringify(calendar),
      ],
    );
    return calendar;
  }

  /** The changes of the property's calendar, oldest first, a page at a time. */
  async changes(
    manager: EntityManager,
    propertyId: string,
    { limit = 50, cursor }: CalendarChangesQueryDto,
  ): Promise<Page<CalendarChange>> {
    const [after] = cursor ? decodeCursor(cursor, 'sequence') : [null];
    const rows: (CalendarChange & { sequence: string })[] = await manager.query(
      `select id::text as sequence, at, actor, actor_roles as "actorRoles", before, after
       from property_calendar_changes
       where property_id = $1 and ($2::bigint is null or id > $2::bigint) order by id limit ${limit + 1}`,
      [propertyId, after],
    );
    const { items, nextCursor } = pageOf(rows, limit, (row) => [row.sequence]);
    return { items: items.map(({ sequence: _sequence, ...change }) => change), nextCursor };
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
