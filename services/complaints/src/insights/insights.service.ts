import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertPropertyInScope, propertyScopeFilter, type Principal } from '@loyalty/auth';
import { pageOf, type Page } from '@loyalty/platform';
import { addDays, localDateOf } from '@loyalty/time';
import { pareto, per100, percent } from '../domain';
import { decodeCursor } from '../complaints/page';
import type { InsightQueryDto } from './dto/insight-query.dto';

/** The window and property filter every insight query shares, as SQL parameters. */
interface Window {
  /**
   * Local dates (`YYYY-MM-DD`), `to` exclusive: each property's own days. Bound as text, never as a
   * `Date`, which node-postgres would write in the Node process's time zone.
   */
  from: string;
  to: string;
  /** Property ids, or null for every property. */
  properties: string[] | null;
}

interface CategoryCount {
  propertyId: string;
  category: string;
  complaints: number;
}

interface RepeatComplainant {
  guestId: string;
  complaints: number;
  lastOpenedAt: Date;
}

/** What the complaints say about the chain: rates, Pareto, SLA compliance, repeats and recovery. */
@Injectable()
export class Insights {
  constructor(private readonly dataSource: DataSource) {}

  /** Complaints per 100 stays that ended in the window, by property and category. */
  async complaintRate(query: InsightQueryDto, principal: Principal, now: Date) {
    const window = windowOf(query, principal, now);
    const stays: { propertyId: string; stays: number }[] = await this.dataSource.query(
      `select property_id as "propertyId", count(*)::int as stays from stays
       where departure >= $1::date and departure < $2::date and ($3::text[] is null or property_id = any($3))
       group by property_id`,
      params(window),
    );
    const complaints = await this.countByPropertyAndCategory(window);
    const staysAt = new Map(stays.map((row) => [row.propertyId, row.stays]));
    const properties = [...new Set([...staysAt.keys(), ...complaints.map((row) => row.propertyId)])].sort();
    return {
      ...bounds(window),
      properties: properties.map((propertyId) => {
        const here = complaints.filter((row) => row.propertyId === propertyId);
        const total = here.reduce((sum, row) => sum + row.complaints, 0);
        const staysHere = staysAt.get(propertyId) ?? 0;
        return {
          propertyId,
          stays: staysHere,
          complaints: total,
          per100Stays: per100(total, staysHere),
          byCategory: here.map(({ category, complaints: count }) => ({
            category,
            complaints: count,
            per100Stays: per100(count, staysHere),
          })),
        };
      }),
    };
  }

  async categoryPareto(query: InsightQueryDto, principal: Principal, now: Date) {
    const window = windowOf(query, principal, now);
    const counts: Record<string, number> = {};
    for (const row of await this.countByPropertyAndCategory(window)) {
      counts[row.category] = (counts[row.category] ?? 0) + row.complaints;
    }
    return { ...bounds(window), categories: pareto(counts) };
  }

  /** Share of decided SLA timers met in time, and mean minutes to acknowledge and to resolve. */
  async slaPerformance(query: InsightQueryDto, principal: Principal, now: Date) {
    const window = windowOf(query, principal, now);
    // Met by its target and never breached, as `withinSla` says: a late goal the breach scanner had not yet
    // caught is not met, nor one met after a breach decided by a scanning instance whose clock ran ahead.
    const timers: { kind: string; met: number; decided: number }[] = await this.dataSource.query(
      `with ${PROPERTY_ZONES}
       select t.kind, count(*) filter (where t.met_at <= t.target_at and t.breached_at is null)::int as met,
         count(*) filter (where t.met_at is not null or t.breached_at is not null)::int as decided
       from ${COMPLAINTS} join sla_timers t on t.complaint_id = c.id
       where t.kind in ('acknowledgement', 'resolution') and ${COMPLAINTS_IN_WINDOW} group by t.kind`,
      params(window),
    );
    const [means]: { acknowledge: number | null; resolve: number | null }[] = await this.dataSource.query(
      `with ${PROPERTY_ZONES}
       select avg(extract(epoch from c.acknowledged_at - c.opened_at) / 60)::float as acknowledge,
         avg(extract(epoch from c.resolved_at - c.opened_at) / 60)::float as resolve
       from ${COMPLAINTS} where ${COMPLAINTS_IN_WINDOW}`,
      params(window),
    );
    const of = (kind: string) => timers.find((row) => row.kind === kind) ?? { met: 0, decided: 0 };
    const all = timers.reduce(
      (sum, row) => ({ met: sum.met + row.met, decided: sum.decided + row.decided }),
      { met: 0, decided: 0 },
    );
    return {
      ...bounds(window),
      compliancePercent: percent(all.met, all.decided),
      acknowledgementCompliancePercent: percent(of('acknowledgement').met, of('acknowledgement').decided),
      resolutionCompliancePercent: percent(of('resolution').met, of('resolution').decided),
      meanMinutesToAcknowledge: roundOrNull(means?.acknowledge ?? null),
      meanMinutesToResolve: roundOrNull(means?.resolve ?? null),
    };
  }

  /**
   * Guests with more than one complaint in the window, most complaints first. Every page counts the
   * complaints opened up to the first page's instant, in the window as of then (the cursor carries it):
   * a guest complaining again while someone pages would otherwise move up past their cursor, unseen, or
   * a window left open would move with the clock between pages. A complaint set aside as a duplicate or
   * cancelled meanwhile still leaves the counts.
   */
  async repeatComplainants(
    query: InsightQueryDto,
    principal: Principal,
    now: Date,
  ): Promise<Page<RepeatComplainant>> {
    const after = query.cursor ? decodeCursor(query.cursor, 'count') : null;
    const asOf = after ? new Date(after[2]) : now;
    const window = windowOf(query, principal, asOf);
    const limit = query.limit ?? 50;
    const rows: RepeatComplainant[] = await this.dataSource.query(
      `with ${PROPERTY_ZONES}
       select guest_id as "guestId", count(*)::int as complaints, max(opened_at) as "lastOpenedAt"
       from ${COMPLAINTS} where ${COMPLAINTS_COUNTED} and c.opened_at <= $6 group by guest_id
       having count(*) > 1 and ($4::int is null or (count(*), guest_id) < ($4::int, $5::uuid))
       order by count(*) desc, guest_id desc limit ${limit + 1}`,
      [...params(window), after ? Number(after[0]) : null, after?.[1] ?? null, asOf],
    );
    return pageOf(rows, limit, (row) => [String(row.complaints), row.guestId, asOf.toISOString()]);
  }

  /**
   * Of the guests whose complaint was resolved in the window, the share who stayed again afterwards: who
   * arrived somewhere on a later day than the resolution's, as the calendar of that stay's property reads
   * (its arrival is a date there). A stay kept without its zone (recorded before stays kept one, or in a
   * zone Postgres did not know then) reads in its property's zone as the property's latest stay naming
   * one gives it, and in UTC only where none does.
   */
  async recoveryRate(query: InsightQueryDto, principal: Principal, now: Date) {
    const window = windowOf(query, principal, now);
    const [row]: { resolved: number; returned: number }[] = await this.dataSource.query(
      `with ${propertyZones('resolved_at')}, first_resolution as (
         select guest_id, min(resolved_at) as resolved_at from ${COMPLAINTS}
         where ${datedInWindow('resolved_at')} group by guest_id)
       select count(*)::int as resolved,
         count(*) filter (where exists (
           select 1 from stays s where s.guest_id = r.guest_id
             and s.arrival > (r.resolved_at at time zone coalesce(s.time_zone, ${zoneOfProperty('s')}, 'UTC'))::date
         ))::int as returned
       from first_resolution r`,
      params(window),
    );
    return {
      ...bounds(window),
      guestsWithResolvedComplaints: row.resolved,
      guestsWhoStayedAgain: row.returned,
      recoveryRatePercent: percent(row.returned, row.resolved),
    };
  }

  private async countByPropertyAndCategory(window: Window): Promise<CategoryCount[]> {
    return this.dataSource.query(
      `with ${PROPERTY_ZONES}
       select c.property_id as "propertyId", category, count(*)::int as complaints from ${COMPLAINTS}
       where ${COMPLAINTS_COUNTED} group by c.property_id, category order by c.property_id, category`,
      params(window),
    );
  }
}

/** The instant an insight dates a complaint by: when it was opened, or when it was resolved. */
type DatedBy = 'opened_at' | 'resolved_at';

/**
 * Complaints at the window's properties dated within a UTC day either side of the window: every zone is
 * less than a day from UTC, so those dated on the window's days as their property's calendar reads are
 * among them. The index on each instant narrows the rows with this bound before any zone is looked up.
 */
const nearWindow = (instant: DatedBy) => `c.${instant} >= ($1::date - 1)::timestamp at time zone 'UTC'
  and c.${instant} < ($2::date + 1)::timestamp at time zone 'UTC'
  and ($3::text[] is null or c.property_id = any($3))`;

/** The zone of the latest stay naming one at the property of row `row`: one step down `stays_property_zone`. */
function zoneOfProperty(row: string): string {
  return `(select z.time_zone from stays z where z.property_id = ${row}.property_id
    and z.time_zone is not null order by z.departure desc limit 1)`;
}

/**
 * The time zone of each property with complaints dated near the window: that of its latest stay naming one,
 * the same zone its stays' dates are in. A property with no stay recorded since stays kept their zone
 * counts in UTC. Looked up once per property, one step down the `stays_property_zone` index each, not
 * once per complaint: materialized, as Postgres would otherwise inline it and look the zone up again for
 * each complaint joined. (Taking every property's latest stay from all of `stays` would read them all.)
 */
const propertyZones = (instant: DatedBy) => `property_zones (property_id, time_zone) as materialized (
  select p.property_id, coalesce(${zoneOfProperty('p')}, 'UTC')
  from (select distinct c.property_id from complaints c where ${nearWindow(instant)}) p)`;
const PROPERTY_ZONES = propertyZones('opened_at');

/** The complaints `c` with their property's zone `pz`, for a query starting `with ${propertyZones(…)}`. */
const COMPLAINTS = 'complaints c join property_zones pz on pz.property_id = c.property_id';

/**
 * Complaints dated on the window's days as their property's calendar reads, at the window's properties,
 * for a query starting `with ${propertyZones(instant)}`. A window ending before it starts is empty, as it
 * is for the stays.
 */
const datedInWindow = (instant: DatedBy) => `${nearWindow(instant)}
  and (c.${instant} at time zone pz.time_zone)::date <@ daterange($1::date, greatest($1::date, $2::date))`;

/** Complaints opened on the window's days, for a query starting `with ${PROPERTY_ZONES}`. */
const COMPLAINTS_IN_WINDOW = datedInWindow('opened_at');

/**
 * The complaints in the window that count as problems: one marked a duplicate is another's problem told
 * again, and one cancelled was withdrawn or logged by mistake.
 */
const COMPLAINTS_COUNTED = `${COMPLAINTS_IN_WINDOW} and c.status not in ('duplicate', 'cancelled')`;

/** Where the date turns first (UTC+14). */
const EARLIEST_ZONE = 'Pacific/Kiritimati';
/** Where the date turns last (UTC−12). */
const LATEST_ZONE = 'Etc/GMT+12';
const DEFAULT_WINDOW_DAYS = 90;

function params(window: Window): unknown[] {
  return [window.from, window.to, window.properties];
}

/**
 * The window's dates. Left open, it ends after today at every property (its days are each property's
 * own): on the earliest zone's tomorrow; nothing has happened after now, so that counts everything up to
 * now. Its start is then where the latest zone's today is the 90th day, so every property's last 90 days
 * are in it: counted back from `to`, a property behind UTC+14 would get 89 (Honolulu always would).
 */
export function windowDates(
  { from, to }: Pick<InsightQueryDto, 'from' | 'to'>,
  now: Date,
): { from: string; to: string } {
  if (to !== undefined) return { from: from ?? addDays(to, -DEFAULT_WINDOW_DAYS), to };
  return {
    from: from ?? addDays(localDateOf(now, LATEST_ZONE), 1 - DEFAULT_WINDOW_DAYS),
    to: addDays(localDateOf(now, EARLIEST_ZONE), 1),
  };
}

function windowOf(query: InsightQueryDto, principal: Principal, now: Date): Window {
  const { from, to } = windowDates(query, now);
  if (query.propertyId) assertPropertyInScope(principal, query.propertyId);
  const scope = propertyScopeFilter(principal);
  const properties = query.propertyId ? [query.propertyId] : scope === 'all' ? null : scope;
  return { from, to, properties };
}

function bounds(window: Window) {
  return { from: window.from, to: window.to };
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}
