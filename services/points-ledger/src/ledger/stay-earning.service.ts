import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ValidatedEvent } from '@loyalty/contracts';
import {
  calculateEarn,
  evaluateTier,
  promotionLimitPeriod,
  qualifyingRevenueOf,
  qualifyingYearOf,
  reachedWith,
  stayKeyOf,
  type AdjustableStay,
  type EarnResult,
  type QualifyingCredit,
  type YearProgress,
} from '../domain';
import { AccountStore, type QualifyingProgressRow } from './account-store';
import { workFor, writesOf, type AccountWork } from './account-work';
import { adjustCreditedStay, adjustmentAnnouncements, type StayAdjusted } from './credited-stay-adjustment';
import { guard } from './guard';
import { announcementsOf, tierAnnouncement, type PublishNow } from './ledger-announcements';
import { LEDGER_PROGRAM } from './ledger-program';
import { parkedForCrediting, unparkWrites, type ParkedAdjustment } from './parked-adjustments';
import { REDACTED } from './redaction';

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
  nights_adjusted_at: string | null;
  nights_adjustment_key: string | null;
}

/**
 * Credits a batch of recorded stays in one transaction: the accounts are locked in one query, the
 * domain decides each credit, and everything is written back in a handful of bulk statements. The
 * adjustments that arrived before their stay (parked) are applied with it, in the order they arrived.
 */
@Injectable()
export class StayEarningService {
  constructor(private readonly store: AccountStore) {}

  async creditStays(
    manager: EntityManager,
    events: readonly StayEvent[],
    now: Date,
    publishFor: (event: StayEvent | StayAdjusted) => PublishNow,
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
    // The one query adjustments add to a batch: those that arrived before their stay.
    const parked = await parkedForCrediting(manager, [...byKey.keys()]);
    const progress = new BatchProgress(new Set(works.values()));
    const usage = new Map<string, number>();
    for (const work of new Set(works.values())) {
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
      const result = this.earn(
        event,
        work.tier.tierId,
        { yearToDate: progress.of(work.id, year), reached: progress.reachedBy(work.id, year) },
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
      const after = progress.credit(work.id, year, result.qualifying);
      const evaluation = evaluateTier(after, LEDGER_PROGRAM, work.tier, now, year);
      work.tier = evaluation.status;
      // Published as they are made, with no await per stay: the batch runs for a thousand stays.
      const publish = publishFor(event);
      const announcements = announcementsOf(change, {
        guestId: work.stored.guestId,
        stay: { stayId: event.data.stayId, propertyId: event.data.propertyId },
      });
      const tier = tierAnnouncement(work.stored.guestId, evaluation.change);
      if (tier) announcements.push(tier);
      for (const { type, data } of announcements) publish(type, data);
      const stay = this.adjustOnArrival(
        work,
        creditedStayOf(result, event),
        { year, stayId: event.data.stayId, parked: parked.get(result.stayKey) ?? [] },
        { progress, publishFor, now },
      );
      credited.push({
        stay_key: result.stayKey,
        account_id: work.id,
        stay_id: event.data.stayId,
        property_id: event.data.propertyId,
        entry_key: entry.id,
        points: stay.points,
        base_points: stay.basePoints,
        qualifying_revenue_minor: stay.qualifyingRevenueMinor,
        nights: stay.nights,
        stays: stay.stays,
        qualifying_year: year,
        source_event_id: event.envelope.id,
        credited_at: creditedAt,
        earning: stay.earning,
        nights_adjusted_at: stay.nightsSetBy?.adjustedAt ?? null,
        nights_adjustment_key: stay.nightsSetBy?.adjustmentKey ?? null,
      });
    }

    const erased = new Set([...works.values()].filter((work) => work.stored.erased).map((work) => work.id));
    await redactDiscardsOfErased(
      manager,
      credited.filter((stay) => erased.has(stay.account_id)).map((stay) => stay.stay_key),
    );
    await this.store.save(
      manager,
      writesOf(works.values()),
      [],
      creditWrites(credited, progress.changes(), usageDelta, parked),
    );
    return credited.length;
  }

  /**
   * Applies to a stay credited just now the adjustments that arrived before it, in their order, as the
   * adjustment handler would have right after it: the same entries, progress, tier and events.
   */
  private adjustOnArrival(
    work: AccountWork,
    credited: AdjustableStay,
    { year, stayId, parked }: { year: number; stayId: string; parked: readonly ParkedAdjustment[] },
    batch: {
      progress: BatchProgress;
      publishFor: (event: StayAdjusted) => PublishNow;
      now: Date;
    },
  ): AdjustableStay {
    let stay = credited;
    for (const { event, applied } of parked) {
      if (applied) continue;
      const progress = {
        year,
        yearToDate: batch.progress.of(work.id, year),
        reached: batch.progress.reachedBy(work.id, year),
      };
      const outcome = adjustCreditedStay(work, stay, event, progress, batch.now);
      batch.progress.correct(work.id, year, outcome.gained, outcome.reached);
      stay = outcome.stay;
      const publish = batch.publishFor(event);
      const context = { stayId, propertyId: stay.propertyId };
      for (const { type, data } of adjustmentAnnouncements(work.stored.guestId, context, outcome)) {
        publish(type, data);
      }
    }
    return stay;
  }

  private earn(
    event: StayEvent,
    tierId: string,
    { yearToDate, reached }: { yearToDate: QualifyingCredit; reached: YearProgress['reached'] },
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
          reached,
        },
        LEDGER_PROGRAM,
        now,
      ),
    );
  }
}

/** What a transaction adds to an account's year, and the year's high point as it leaves it. */
interface ProgressDelta extends QualifyingProgressRow {
  account_id: string;
}

/** The stay as credited, before any adjustment. */
function creditedStayOf(result: EarnResult, event: StayEvent): AdjustableStay {
  return {
    stayKey: result.stayKey,
    propertyId: event.data.propertyId,
    earning: result.earning,
    qualifyingRevenueMinor: qualifyingRevenueOf(
      event.data.revenue.property,
      LEDGER_PROGRAM.properties[event.data.propertyId],
    ).amountMinor,
    points: result.total,
    basePoints: result.qualifying.basePoints,
    nights: result.qualifying.nights,
    stays: result.qualifying.stays,
    nightsSetBy: null,
  };
}

/**
 * Qualifying credits per account and year as the batch goes: the loaded totals plus what the batch added,
 * which later stays of the batch see, and the additions alone, to write with the high point the batch left.
 */
class BatchProgress {
  private readonly totals = new Map<string, QualifyingCredit>();
  private readonly reached = new Map<string, YearProgress['reached']>();
  private readonly added = new Map<string, { accountId: string; year: number; credit: QualifyingCredit }>();

  constructor(works: Iterable<AccountWork>) {
    for (const work of works) {
      for (const row of work.stored.progress) {
        this.totals.set(`${work.id}|${row.year}`, row);
        this.reached.set(`${work.id}|${row.year}`, row.reached);
      }
    }
  }

  of(accountId: string, year: number): QualifyingCredit {
    return this.totals.get(`${accountId}|${year}`) ?? NO_CREDIT;
  }

  /** The most nights and stays the year reached as its stays were credited: its milestones up to them were paid. */
  reachedBy(accountId: string, year: number): YearProgress['reached'] {
    return this.reached.get(`${accountId}|${year}`) ?? { nights: 0, stays: 0 };
  }

  /**
   * Adds a credited stay's credits; returns the year's total after. A stay that counts settles the
   * milestones up to that total (an earning one is paid them, one counting without earning forfeits them),
   * so the high point rises to it; one that counts nothing leaves it, and the milestones to the next.
   */
  credit(accountId: string, year: number, credit: QualifyingCredit): QualifyingCredit {
    const total = this.add(accountId, year, credit);
    if (credit.nights > 0 || credit.stays > 0) {
      this.reached.set(`${accountId}|${year}`, reachedWith(this.reachedBy(accountId, year), total));
    }
    return total;
  }

  /**
   * Adds what a correction changed (negative takes off), and the high point it leaves: raised to what it
   * settled when it added nights, kept when it took them off, so a threshold crossed downwards is not paid again.
   */
  correct(accountId: string, year: number, credit: QualifyingCredit, reached: YearProgress['reached']): void {
    this.add(accountId, year, credit);
    this.reached.set(`${accountId}|${year}`, reached);
  }

  /** What the batch added to each year, and the year's high point, which only rises: written, not derived. */
  changes(): ProgressDelta[] {
    return [...this.added.values()].map(({ accountId, year, credit }) => {
      const reached = this.reachedBy(accountId, year);
      return {
        account_id: accountId,
        year,
        nights: credit.nights,
        stays: credit.stays,
        base_points: credit.basePoints,
        nights_reached: reached.nights,
        stays_reached: reached.stays,
      };
    });
  }

  private add(accountId: string, year: number, credit: QualifyingCredit): QualifyingCredit {
    const key = `${accountId}|${year}`;
    const total = add(this.of(accountId, year), credit);
    this.totals.set(key, total);
    const added = this.added.get(key)?.credit ?? NO_CREDIT;
    this.added.set(key, { accountId, year, credit: add(added, credit) });
    return total;
  }
}

/**
 * A discard of an adjustment that arrived before its stay names no account, so the erasure of the guest
 * the stay is credited to afterwards could not find its reason: crediting the stay redacts it.
 */
async function redactDiscardsOfErased(manager: EntityManager, stayKeys: readonly string[]): Promise<void> {
  if (stayKeys.length === 0) return;
  await manager.query(
    `update discarded_stay_adjustments set reason = $2, restore_reason = case when restore_reason is not null then $2 end
     where stay_key = any($1::text[]) and (reason <> $2 or restore_reason <> $2)`,
    [stayKeys, REDACTED],
  );
}

/**
 * Credited stays, qualifying progress and promotion usage, as CTEs written in the same statement as the
 * accounts, and the parked adjustments applied with their stays. A plain insert into credited_stays: a
 * stay credited concurrently under another event id fails the batch, which the transport then replays
 * event by event, and the replay sees the stay as credited.
 */
function creditWrites(
  credited: CreditedStay[],
  progressDeltas: Iterable<ProgressDelta>,
  usageDelta: Map<string, number>,
  parked: ReadonlyMap<string, readonly ParkedAdjustment[]>,
): { ctes: string[]; params: unknown[] } {
  if (credited.length === 0) return { ctes: [], params: [] };
  const unparked =
    parked.size === 0
      ? []
      : credited.flatMap((stay) =>
          (parked.get(stay.stay_key) ?? []).map((adjustment) => ({ adjustment, accountId: stay.account_id })),
        );
  const unparking = unparkWrites(unparked, 9);
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
           earning boolean, nights_adjusted_at timestamptz, nights_adjustment_key text)
         returning 1)`,
      `progress as (${PROGRESS_UPSERT('$7')} returning 1)`,
      `usage as (
         insert into promotion_usage (account_id, promotion_id, period, awards)
         select * from json_to_recordset($8::json) as r(account_id text, promotion_id text, period text, awards int)
         on conflict (account_id, promotion_id, period) do update set awards = promotion_usage.awards + excluded.awards
         returning 1)`,
      ...unparking.ctes,
    ],
    params: [
      JSON.stringify(credited),
      JSON.stringify([...progressDeltas]),
      JSON.stringify(usage),
      ...unparking.params,
    ],
  };
}

/**
 * The high point is carried, not derived from the net change: a batch can reach more than it leaves (a
 * stay, then a correction that takes nights off).
 */
const PROGRESS_UPSERT = (parameter: string): string => `
  insert into qualifying_progress as q (account_id, year, nights, stays, base_points, nights_reached, stays_reached)
  select * from json_to_recordset(${parameter}::json)
    as r(account_id text, year int, nights int, stays int, base_points int, nights_reached int, stays_reached int)
  on conflict (account_id, year) do update set nights = q.nights + excluded.nights,
    stays = q.stays + excluded.stays,
    base_points = q.base_points + excluded.base_points,
    nights_reached = greatest(q.nights_reached, excluded.nights_reached),
    stays_reached = greatest(q.stays_reached, excluded.stays_reached)`;

/** Adds (or, negative, takes off) qualifying credits per account and year, with the high point each leaves. */
export async function addProgress(manager: EntityManager, deltas: ProgressDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await manager.query(PROGRESS_UPSERT('$1'), [JSON.stringify(deltas)]);
}

const NO_CREDIT: QualifyingCredit = { nights: 0, stays: 0, basePoints: 0 };

function add(a: QualifyingCredit, b: QualifyingCredit): QualifyingCredit {
  return { nights: a.nights + b.nights, stays: a.stays + b.stays, basePoints: a.basePoints + b.basePoints };
}
