import { randomUUID } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A duplicate taken up again in place of its cancelled original, and when. */
interface Successor {
  id: string;
  propertyId: string;
  policyId: string;
  status: 'opened' | 'acknowledged';
  at: Date;
}

/**
 * Gives the duplicates of each cancelled complaint a complaint that will be answered. Before an original
 * with duplicates could no longer be cancelled, a cancel left them closed, waiting on a complaint nobody
 * answers. As when an original is marked a duplicate itself, they stay duplicates and move to the complaint
 * that will be answered: here the oldest of them, the first filed about the matter, taken up again in the
 * state it was marked a duplicate in (acknowledged if it had been, else opened) with the SLA timers that
 * state runs, started now. Each gets an `original-cancelled` audit line by the service. Nothing is
 * published: migrations run before the service, and its publisher, start; 1760000005300 leaves what is
 * owed for the service to announce once it runs.
 *
 * Frozen as it shipped: the policies' targets, the business calendars' arithmetic (local time included), the
 * timers' and the audit lines' columns are spelled out here, not taken from the service's classes or
 * `@loyalty/time`. On an old database this runs before the later migrations, so those classes, which change
 * with them, could name columns not there yet or start other timers than it did where it has run already.
 * The exported tables and arithmetic are pinned by literal values in the spec beside it: a difference from
 * the service's is no reason to change them here.
 */
export class DuplicatesOfCancelledOriginals1760000005200 implements MigrationInterface {
  name = 'DuplicatesOfCancelledOriginals1760000005200';

  async up(queryRunner: QueryRunner): Promise<void> {
    const successors: Successor[] = await queryRunner.query(
      `with successors (original, id) as (
         select distinct on (d.duplicate_of) d.duplicate_of, d.id
         from complaints d join complaints o on o.id = d.duplicate_of
         where d.status = 'duplicate' and o.status = 'cancelled'
         order by d.duplicate_of, d.opened_at, d.id
       ),
       repairs as (
         select c.id, ${AUDIT_VIEW} as before,
           case when c.id <> s.id then c.status when c.acknowledged_at is null then 'opened' else 'acknowledged'
           end as status,
           case when c.id <> s.id then c.closed_at end as closed_at,
           case when c.id <> s.id then s.id end as duplicate_of
         from complaints c join successors s on s.original = c.duplicate_of
         where c.status = 'duplicate'
       ),
       repaired as (
         update complaints c set status = r.status, closed_at = r.closed_at, duplicate_of = r.duplicate_of
         from repairs r where c.id = r.id
         returning c.id, c.property_id, c.policy_id, c.status
       ),
       audited as (
         insert into complaint_audit (complaint_id, at, actor, actor_roles, action, before, after)
         select r.id, now(), $1, $2, 'original-cancelled', r.before,
           r.before || jsonb_build_object(
             'status', r.status, 'closedAt', ${auditInstant('r.closed_at')}, 'duplicateOf', r.duplicate_of)
         from repairs r join repaired using (id)
       )
       select id, property_id as "propertyId", policy_id as "policyId", status, now() as at
       from repaired where status <> 'duplicate'`,
      [SERVICE_ACTOR.id, SERVICE_ACTOR.roles],
    );
    for (const successor of successors) {
      const policy = POLICIES.get(successor.policyId) ?? FALLBACK_POLICY;
      // Opened, it runs both clocks; acknowledged, only the resolution one.
      if (successor.status === 'opened')
        await startTimer(queryRunner, successor, 'acknowledgement', policy.acknowledgeWithinMinutes, policy);
      await startTimer(queryRunner, successor, 'resolution', policy.resolveWithinMinutes, policy);
    }
  }

  // A repair: the waits it ended were wrong, and the audit trail it wrote is append-only.
  async down(): Promise<void> {}
}

/** Who the audit lines name: the service itself. */
export const SERVICE_ACTOR = { id: 'complaints', roles: ['service'] };

/** A timestamp in the audit trail as the service writes one: `JSON.stringify` of a `Date`, in UTC. */
const auditInstant = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The complaint `c` as its audit lines kept it then: every field but the free text. The same SQL as in
 * 1760000005100, on purpose: each migration keeps the columns of its time, so a later column in the service's
 * audit view changes neither.
 */
const AUDIT_VIEW = `jsonb_build_object(
  'id', c.id, 'guestId', c.guest_id, 'propertyId', c.property_id, 'stay', c.stay,
  'reservationId', c.reservation_id, 'channel', c.channel, 'category', c.category, 'aspect', c.aspect,
  'severity', c.severity, 'status', c.status, 'ownerId', c.owner_id, 'ownerRole', c.owner_role,
  'escalationLevel', c.escalation_level, 'policyId', c.policy_id, 'surveyId', c.survey_id,
  'openedAt', ${auditInstant('c.opened_at')}, 'acknowledgedAt', ${auditInstant('c.acknowledged_at')},
  'resolvedAt', ${auditInstant('c.resolved_at')}, 'closedAt', ${auditInstant('c.closed_at')},
  'resolution', c.resolution, 'satisfaction', c.satisfaction, 'duplicateOf', c.duplicate_of)`;

export interface Policy {
  acknowledgeWithinMinutes: number;
  resolveWithinMinutes: number;
  /** Counts only the property's business hours, when it has a calendar. */
  businessHours: boolean;
}

const HOUR = 60;
const DAY = 24 * HOUR;

/** The SLA policies by id, with their targets as they were; a policy not among them runs the default's. */
export const POLICIES = new Map<string, Policy>([
  ['critical', { acknowledgeWithinMinutes: 15, resolveWithinMinutes: 4 * HOUR, businessHours: false }],
  ['high-top-tier', { acknowledgeWithinMinutes: 30, resolveWithinMinutes: 12 * HOUR, businessHours: false }],
  ['high', { acknowledgeWithinMinutes: HOUR, resolveWithinMinutes: DAY, businessHours: false }],
  ['noise', { acknowledgeWithinMinutes: 30, resolveWithinMinutes: 12 * HOUR, businessHours: false }],
  ['medium', { acknowledgeWithinMinutes: 4 * HOUR, resolveWithinMinutes: 3 * DAY, businessHours: true }],
  ['low', { acknowledgeWithinMinutes: DAY, resolveWithinMinutes: 7 * DAY, businessHours: true }],
]);
export const FALLBACK_POLICY: Policy = {
  acknowledgeWithinMinutes: 4 * HOUR,
  resolveWithinMinutes: 3 * DAY,
  businessHours: true,
};

/** A running timer of the complaint, started at its take-up, due `minutes` of working time later. */
async function startTimer(
  queryRunner: QueryRunner,
  successor: Successor,
  kind: 'acknowledgement' | 'resolution',
  minutes: number,
  policy: Policy,
): Promise<void> {
  const calendar = policy.businessHours ? await calendarOf(queryRunner, successor.propertyId) : undefined;
  const targetAt = calendar
    ? addOpenMinutes(calendar, successor.at, minutes)
    : new Date(successor.at.getTime() + minutes * MINUTE);
  await queryRunner.query(
    `insert into sla_timers (id, complaint_id, kind, state, business_hours, started_at, target_at,
       remaining_minutes, met_at, breached_at, difference_minutes)
     values ($1, $2, $3, 'running', $4, $5, $6, null, null, null, null)`,
    [randomUUID(), successor.id, kind, policy.businessHours, successor.at, targetAt],
  );
}

export interface Calendar {
  timeZone: string;
  /** Local opening hours (`HH:MM`) per weekday (`sun` to `sat`); a day missing is closed. */
  hours: Record<string, { opens: string; closes: string } | undefined>;
  /** Local dates (`YYYY-MM-DD`) on which nobody works. */
  holidays: string[];
}

async function calendarOf(queryRunner: QueryRunner, propertyId: string): Promise<Calendar | undefined> {
  const [row]: Calendar[] = await queryRunner.query(
    'select time_zone as "timeZone", hours, holidays from property_calendars where property_id = $1',
    [propertyId],
  );
  return row;
}

const MINUTE = 60_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
// A calendar open at least one weekday finds an opening within a week; holidays can add a few more.
const SEARCH_DAYS = 400;

/** The instant `minutes` of the calendar's opening hours after `start`. */
export function addOpenMinutes(calendar: Calendar, start: Date, minutes: number): Date {
  let remaining = minutes * MINUTE;
  let date = localDateOf(start, calendar.timeZone);
  for (let day = 0; day < SEARCH_DAYS; day++, date = addDays(date, 1)) {
    const window = openingOn(calendar, date);
    if (!window) continue;
    const from = Math.max(window.opens, start.getTime());
    if (from >= window.closes) continue;
    if (remaining <= window.closes - from) return new Date(from + remaining);
    remaining -= window.closes - from;
  }
  throw new Error(`the calendar has no opening hours within ${SEARCH_DAYS} days of ${start.toISOString()}`);
}

/** The UTC interval the calendar is open on a local date, or undefined on a closed day. */
function openingOn(calendar: Calendar, date: string): { opens: number; closes: number } | undefined {
  if (calendar.holidays.includes(date)) return undefined;
  const hours = calendar.hours[WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]];
  if (!hours) return undefined;
  const at = (time: string) => {
    const [hour, minute] = time.split(':').map(Number);
    return localTimeToUtc(date, hour, minute, calendar.timeZone).getTime();
  };
  return { opens: at(hours.opens), closes: at(hours.closes) };
}

// Local time, as `@loyalty/time` had it when this shipped: Intl knows every zone's offsets, daylight saving
// included. Its cache of steady hours is left out, which changes no result.

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds `timeZone` is ahead of UTC at `instant`, to the second. */
function offsetAt(instant: number, timeZone: string): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

const DAY_MS = 86_400_000;

/** The local date (`YYYY-MM-DD`) of `instant` in `timeZone`. */
function localDateOf(instant: Date, timeZone: string): string {
  const at = instant.getTime();
  return new Date(at + offsetAt(at, timeZone)).toISOString().slice(0, 10);
}

/**
 * The UTC instant of a local wall-clock time in `timeZone`. A time skipped by a daylight-saving jump moves
 * forward by the jump; a time that happens twice gives the later instant.
 */
function localTimeToUtc(localDate: string, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.parse(`${localDate}T00:00:00Z`) + (hour * 60 + minute) * MINUTE;
  // A zone changes its offset at most once in a day either side: the offsets before and after the wall
  // time are the candidates, and one is right where its instant shows that wall time.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const shows = (offset: number) => offsetAt(wall - offset, timeZone) === offset;
  const fitting = [before, after].filter(shows);
  return new Date(wall - (fitting.length > 0 ? Math.min(...fitting) : before));
}

/** The local date `days` after `localDate` (both `YYYY-MM-DD`). */
function addDays(localDate: string, days: number): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
