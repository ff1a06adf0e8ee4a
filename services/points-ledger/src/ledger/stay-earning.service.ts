import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ValidatedEvent } from '@loyalty/contracts';
import { PermanentEventError } from '@loyalty/messaging';
import {
  calculateEarn,
  evaluateTier,
  isLedgerError,
  promotionLimitPeriod,
  qualifyingRevenueOf,
  qualifyingYearOf,
  stayKeyOf,
  type EarnResult,
  type QualifyingCredit,
} from '../domain';
import { AccountStore } from './account-store';
import { workFor, writesOf } from './account-work';
import { announcementsOf, tierAnnouncement, type PublishNow } from './ledger-announcements';
import { LEDGER_PROGRAM } from './ledger-program';

type StayEvent = ValidatedEvent<'stay-recorded'>;

interface CreditedStay {
  stay_key: string;
  account_id: string;
  stay_id: string;
  property_id: string;
  entry_key: string;
  points: number;
  base_points: number;
  qualifying_revenue_minor: number;
  nights: number;
  stays: number;
  qualifying_year: number;
  source_event_id: string;
  credited_at: string;
  earning: boolean;
}

/**
 * Credits a batch of recorded stays in one transaction: the accounts are locked in one query, the
 * domain decides each credit, and everything is written back in a handful of bulk statements.
 */
@Injectable()
export class StayEarningService {
  constructor(private readonly store: AccountStore) {}

  async creditStays(
    manager: EntityManager,
    events: readonly StayEvent[],
    now: Date,
    publishFor: (event: StayEvent) => PublishNow,
  ): Promise<number> {
    const byKey = new Map<string, StayEvent>();
    for (const event of events) {
      const key = stayKeyOf(event.data);
      if (!byKey.has(key)) byKey.set(key, event);
    }
    // One round trip: open the accounts of every guest in the batch, and find the stays already credited.
    const guestIds = [...new Set(events.map((event) => event.data.guestId))].sort();
    const known: { stay_key: string }[] = await manager.query(
      `with opened as (
         insert into accounts (id, guest_id, opened_at, last_activity_at)
         select g::text, g, $2, $2 from unnest($1::uuid[]) as g
         on conflict do nothing)
       select stay_key from credited_stays where stay_key = any($3::text[])`,
      [guestIds, now, [...byKey.keys()]],
    );
    for (const row of known) byKey.delete(row.stay_key);
    if (byKey.size === 0) return 0;

    const fresh = [...byKey.values()];
    const works = workFor(
      await this.store.lock(manager, [...new Set(fresh.map((event) => event.data.guestId))]),
    );
    const progress = new Map<string, QualifyingCredit>();
    const usage = new Map<string, number>();
    for (const work of new Set(works.values())) {
      for (const row of work.stored.progress) progress.set(`${work.id}|${row.year}`, row);
      for (const row of work.stored.promotionUsage)
        usage.set(`${work.id}|${row.promotionId}|${row.period}`, row.awards);
    }
    const credited: CreditedStay[] = [];
    const usageDelta = new Map<string, number>();
    const creditedAt = now.toISOString();

    for (const event of fresh) {
      const work = works.get(event.data.guestId);
      if (!work) throw new Error(`account of guest ${event.data.guestId} was not loaded`);
      // Qualifying credits count in the year of the departure, however late the stay is credited; the
      // milestones and the tier evaluation look at that year's counts.
      const year = qualifyingYearOf(event.data.departure);
      const progressKey = `${work.id}|${year}`;
      const yearToDate = progress.get(progressKey) ?? { nights: 0, stays: 0, basePoints: 0 };
      const result = this.earn(
        event,
        work.tier.tierId,
        yearToDate,
        (promotionId, period) => {
          const key = `${work.id}|${promotionId}|${period}`;
          return (usage.get(key) ?? 0) + (usageDelta.get(key) ?? 0);
        },
        now,
      );
      const change = guard(() =>
        work.apply(work.account.earn(result, event.envelope.id, LEDGER_PROGRAM, now)),
      );
      const entry = change.entries.find((candidate) => candidate.type === 'earn');
      if (!entry) continue;
      for (const line of result.promotions) {
        const key = `${work.id}|${line.id}|${line.limitPeriod}`;
        usageDelta.set(key, (usageDelta.get(key) ?? 0) + 1);
      }
      const after = add(yearToDate, result.qualifying);
      progress.set(progressKey, after);
      const evaluation = evaluateTier(after, LEDGER_PROGRAM, work.tier, now, year);
      work.tier = evaluation.status;
      credited.push({
        stay_key: result.stayKey,
        account_id: work.id,
        stay_id: event.data.stayId,
        property_id: event.data.propertyId,
        entry_key: entry.id,
        points: result.total,
        base_points: result.qualifying.basePoints,
        qualifying_revenue_minor: qualifyingRevenueOf(
          event.data.revenue.property,
          LEDGER_PROGRAM.properties[event.data.propertyId],
        ).amountMinor,
        nights: result.qualifying.nights,
        stays: result.qualifying.stays,
        qualifying_year: year,
        source_event_id: event.envelope.id,
        credited_at: creditedAt,
        earning: result.earning,
      });
      // Published as they are made, with no await per stay: the batch runs for a thousand stays.
      const publish = publishFor(event);
      const announcements = announcementsOf(change, {
        guestId: work.stored.guestId,
        stay: { stayId: event.data.stayId, propertyId: event.data.propertyId },
      });
      const tier = tierAnnouncement(work.stored.guestId, evaluation.change);
      if (tier) announcements.push(tier);
      for (const { type, data } of announcements) publish(type, data);
    }

    await this.store.save(manager, writesOf(works.values()), [], creditWrites(credited, usageDelta));
    return credited.length;
  }

  private earn(
    event: StayEvent,
    tierId: string,
    yearToDate: QualifyingCredit,
    usageOf: (promotionId: string, period: string) => number,
    now: Date,
  ): EarnResult {
    const promotionUsage: Record<string, number> = {};
    for (const promotion of LEDGER_PROGRAM.promotions) {
      promotionUsage[promotion.id] = usageOf(
        promotion.id,
        promotionLimitPeriod(promotion, event.data.departure),
      );
    }
    return guard(() =>
      calculateEarn(
        {
          stayId: event.data.stayId,
          propertyId: event.data.propertyId,
          reservationId: event.data.reservationId,
          arrival: event.data.arrival,
          departure: event.data.departure,
          channel: event.data.channel,
          revenue: event.data.revenue.property,
          checkedOutAt: new Date(event.data.checkedOutAt),
        },
        {
          tierId,
          promotionUsage,
          yearToDate: { nights: yearToDate.nights, stays: yearToDate.stays },
        },
        LEDGER_PROGRAM,
        now,
      ),
    );
  }
}

interface ProgressDelta {
  account_id: string;
  year: number;
  nights: number;
  stays: number;
  base_points: number;
}

/**
 * Credited stays, qualifying progress and promotion usage, as CTEs written in the same statement as the
 * accounts. A plain insert into credited_stays: a stay credited concurrently under another event id fails
 * the batch, which the transport then replays event by event, and the replay sees the stay as credited.
 */
function creditWrites(
  credited: CreditedStay[],
  usageDelta: Map<string, number>,
): { ctes: string[]; params: unknown[] } {
  if (credited.length === 0) return { ctes: [], params: [] };
  const deltas = new Map<string, ProgressDelta>();
  for (const credit of credited) {
    const key = `${credit.account_id}|${credit.qualifying_year}`;
    const delta = deltas.get(key) ?? {
      account_id: credit.account_id,
      year: credit.qualifying_year,
      nights: 0,
      stays: 0,
      base_points: 0,
    };
    delta.nights += credit.nights;
    delta.stays += credit.stays;
    delta.base_points += credit.base_points;
    deltas.set(key, delta);
  }
  const usage = [...usageDelta].map(([key, awards]) => {
    const [account_id, promotion_id, period] = key.split('|');
    return { account_id, promotion_id, period, awards };
  });
  return {
    ctes: [
      `credited as (
         insert into credited_stays
         select * from json_to_recordset($6::json) as r(stay_key text, account_id text, stay_id uuid,
           property_id text, entry_key text, points int, base_points int, qualifying_revenue_minor bigint,
           nights int, stays int, qualifying_year int, source_event_id uuid, credited_at timestamptz,
           earning boolean)
         returning 1)`,
      `progress as (${PROGRESS_UPSERT('$7')} returning 1)`,
      `usage as (
         insert into promotion_usage (account_id, promotion_id, period, awards)
         select * from json_to_recordset($8::json) as r(account_id text, promotion_id text, period text, awards int)
         on conflict (account_id, promotion_id, period) do update set awards = promotion_usage.awards + excluded.awards
         returning 1)`,
    ],
    params: [JSON.stringify(credited), JSON.stringify([...deltas.values()]), JSON.stringify(usage)],
  };
}

const PROGRESS_UPSERT = (parameter: string): string => `
  insert into qualifying_progress (account_id, year, nights, stays, base_points)
  select * from json_to_recordset(${parameter}::json)
    as r(account_id text, year int, nights int, stays int, base_points int)
  on conflict (account_id, year) do update set nights = qualifying_progress.nights + excluded.nights,
    stays = qualifying_progress.stays + excluded.stays,
    base_points = qualifying_progress.base_points + excluded.base_points`;

/** Adds (or, negative, takes off) qualifying credits per account and year. */
export async function addProgress(manager: EntityManager, deltas: ProgressDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await manager.query(PROGRESS_UPSERT('$1'), [JSON.stringify(deltas)]);
}

function add(a: QualifyingCredit, b: QualifyingCredit): QualifyingCredit {
  return { nights: a.nights + b.nights, stays: a.stays + b.stays, basePoints: a.basePoints + b.basePoints };
}

/**
 * A rule the event breaks can never apply by retrying (an unknown property, a suspended account): it is
 * dead-lettered with the ledger's code as reason. Anything else propagates and is retried.
 */
export function guard<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (isLedgerError(error)) throw new PermanentEventError(error.code, error.message);
    throw error;
  }
}
