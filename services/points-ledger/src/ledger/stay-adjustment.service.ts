import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventData, EventType } from '@loyalty/contracts';
import { EventPublisher, PermanentEventError } from '@loyalty/messaging';
import {
  LedgerErrorCode,
  progressOfYear,
  qualifyingRevenueChange,
  stayKeyOf,
  type AdjustableStay,
  type QualifyingCredit,
  type YearCounts,
} from '../domain';
import { AccountStore } from './account-store';
import { AccountWork, writesOf } from './account-work';
import {
  adjustCreditedStay,
  adjustmentAnnouncements,
  adjustmentKeyOf,
  type AdjustmentOutcome,
  type StayAdjusted,
} from './credited-stay-adjustment';
import { guard } from './guard';
import type { Announcement, Publish } from './ledger-announcements';
import { LEDGER_PROGRAM } from './ledger-program';
import { creditedStaysWithParked, parkAdjustment, parkedOf, unpark } from './parked-adjustments';
import { addProgress } from './stay-earning.service';

interface CreditedStayRow {
  stay_key: string;
  account_id: string;
  stay_id: string;
  property_id: string;
  qualifying_revenue_minor: string;
  points: number;
  base_points: number;
  qualifying_year: number;
  earning: boolean;
  nights: number;
  stays: number;
  /** An ISO instant to the microsecond, as `NIGHTS_ADJUSTED_AT` reads it. */
  nights_adjusted_at: string | null;
  nights_adjustment_key: string | null;
}

/** What the adjustments of one stay do together, worked out before anything is written. */
interface AppliedInOrder {
  readonly work: AccountWork;
  readonly stay: AdjustableStay;
  readonly gained: QualifyingCredit;
  readonly reached: YearCounts;
  readonly announcements: readonly { adjustment: StayAdjusted; announcement: Announcement }[];
}

/**
 * Revenue of a credited stay changed after check-out, and from `stay-adjusted` v2 perhaps its nights
 * (`adjustCreditedStay`). The adjustment comes straight from the property while its stay goes through
 * profiles first, so it routinely arrives before the stay is credited: it is then parked, and applied
 * when the stay is (`StayEarningService`). One parked while the stay's crediting transaction ran, which
 * could not see it, is applied before the stay's next adjustment, or by the `apply-parked-adjustments` job.
 * A suspended account earns nothing, so one its account refuses (a late charge, nights crossing a
 * milestone) is parked too, with every later adjustment of the stay behind it, and applied when the account
 * is reactivated (`applyParkedOf`), or by the job.
 */
@Injectable()
export class StayAdjustmentService {
  private readonly logger = new Logger(StayAdjustmentService.name);

  constructor(
    private readonly store: AccountStore,
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
  ) {}

  async adjustStay(
    manager: EntityManager,
    event: StayAdjusted,
    now: Date,
    publishFor: (adjustment: StayAdjusted) => Publish,
  ): Promise<void> {
    const stayKey = stayKeyOf(event.data);
    const stay = await lockCreditedStay(manager, stayKey);
    if (!stay) {
      await this.park(manager, event, 'waits for its stay to be credited');
      return;
    }
    const parked = await parkedOf(manager, stayKey);
    const events = [...parked.map((adjustment) => adjustment.event), event];
    if (await this.applyInOrder(manager, stay, events, now, publishFor)) {
      await unpark(manager, parked);
      return;
    }
    // Under the account's lock, which `applyInOrder` took: a close counts what is parked under it.
    await this.park(manager, event, 'waits for its account to be reactivated');
  }

  /**
   * Applies the adjustments still parked for a stay that has been credited; how many there were (none
   * while its account is suspended and refuses them: they go on waiting).
   */
  async applyParked(
    manager: EntityManager,
    stayKey: string,
    now: Date,
    publishFor: (adjustment: StayAdjusted) => Publish,
  ): Promise<number> {
    const stay = await lockCreditedStay(manager, stayKey);
    if (!stay) return 0;
    const parked = await parkedOf(manager, stayKey);
    if (parked.length === 0) return 0;
    const events = parked.map((adjustment) => adjustment.event);
    if (!(await this.applyInOrder(manager, stay, events, now, publishFor))) return 0;
    await unpark(manager, parked);
    return parked.length;
  }

  /**
   * Applies what is parked for credited stays of active accounts, each stay in a transaction of its own:
   * of every account (the `apply-parked-adjustments` job), or of this one and the accounts merged into it
   * (a reactivation, once it has committed). Those of a suspended or closed account are not taken (see
   * `creditedStaysWithParked`); one the ledger refuses for another reason is logged and waits. Returns the
   * stays found.
   */
  async applyParkedOf(now: Date, ownerId?: string): Promise<number> {
    const stays = await creditedStaysWithParked(this.dataSource, ownerId);
    for (const stayKey of stays) {
      try {
        await this.dataSource.transaction((manager) =>
          this.applyParked(manager, stayKey, now, (cause) => this.publishing(manager, cause)),
        );
      } catch (error) {
        this.logger.warn(
          `parked adjustments of stay ${stayKey} not applied: ${(error as Error).message} (one that can never ` +
            'apply is for a chain admin to discard: GET /operations/parked-adjustments, then POST …/discard)',
        );
      }
    }
    return stays.length;
  }

  /** Publishes as a consequence of a parked adjustment, as its handler would have. */
  private publishing(manager: EntityManager, cause: StayAdjusted): Publish {
    return <T extends EventType>(type: T, data: EventData<T>) =>
      this.publisher
        .publish(manager, type, data, { propertyId: cause.data.propertyId, causationId: cause.envelope.id })
        .then(() => undefined);
  }

  private async park(manager: EntityManager, event: StayAdjusted, why: string): Promise<void> {
    // What no stay can mend (an unknown property, revenue in another currency) is refused now, not later.
    guard(() => qualifyingRevenueChange(event.data, LEDGER_PROGRAM));
    if (await parkAdjustment(manager, event)) {
      this.logger.log(`stay adjustment ${event.data.adjustmentId} of ${stayKeyOf(event.data)} ${why}`);
    }
  }

  /**
   * Applies the adjustments of one stay in order to its account, locked and loaded once and written once;
   * each adjustment is claimed once, and one applied before (under any event id) is skipped. False, with
   * nothing written, when the account is suspended and refuses one of them: then they all wait, so that
   * they still apply in the order they were posted.
   */
  private async applyInOrder(
    manager: EntityManager,
    row: CreditedStayRow,
    events: readonly StayAdjusted[],
    now: Date,
    publishFor: (adjustment: StayAdjusted) => Publish,
  ): Promise<boolean> {
    const pending = await unclaimed(manager, events);
    if (pending.length === 0) return true;
    const stored = await this.store.lockOne(manager, row.account_id, { stayKeys: [row.stay_key] });
    if (!stored) throw new Error(`account ${row.account_id} vanished`);
    let applied: AppliedInOrder;
    try {
      applied = this.adjustInMemory(new AccountWork(stored), row, pending, now);
    } catch (error) {
      if (error instanceof PermanentEventError && error.code === LedgerErrorCode.ACCOUNT_SUSPENDED)
        return false;
      throw error;
    }
    const { work, stay, gained, reached, announcements } = applied;
    // A plain insert: an adjustment id the property reused for another stay, claimed there meanwhile,
    // fails this transaction, and its retry finds it applied.
    await manager.query(
      `insert into applied_operations (kind, key, account_id)
       select 'stay-adjustment', key, $2 from unnest($1::text[]) as key`,
      [pending.map(adjustmentKeyOf), row.account_id],
    );
    await writeCreditedStay(manager, stay);
    await this.store.save(manager, writesOf([work]));
    const loaded = progressOfYear(stored.progress, row.qualifying_year);
    // Milestones settled raise the year's mark even when the adjustments' counts add up to nothing.
    if (
      !gainsNothing(gained) ||
      reached.nights !== loaded.reached.nights ||
      reached.stays !== loaded.reached.stays
    ) {
      const { nights, stays, basePoints } = gained;
      await addProgress(manager, [
        {
          account_id: work.id,
          year: row.qualifying_year,
          nights,
          stays,
          base_points: basePoints,
          nights_reached: reached.nights,
          stays_reached: reached.stays,
        },
      ]);
    }
    for (const { adjustment, announcement } of announcements) {
      await publishFor(adjustment)(announcement.type, announcement.data);
    }
    return true;
  }

  /** The adjustments applied one after the other to the account and the stay, in memory; throws a refusal. */
  private adjustInMemory(
    work: AccountWork,
    row: CreditedStayRow,
    events: readonly StayAdjusted[],
    now: Date,
  ): AppliedInOrder {
    const year = row.qualifying_year;
    const loaded = progressOfYear(work.stored.progress, year);
    // What the adjustments add to the stay's year: each one measures against the credits the earlier left.
    let gained: QualifyingCredit = NO_CREDIT;
    let { reached } = loaded;
    let stay = adjustableStayOf(row);
    const context = { stayId: row.stay_id, propertyId: row.property_id };
    const announcements: { adjustment: StayAdjusted; announcement: Announcement }[] = [];
    for (const event of events) {
      const yearToDate = addCredit(loaded, gained);
      const outcome = adjustCreditedStay(work, stay, event, { year, yearToDate, reached }, now);
      if (movesNothing(outcome)) {
        this.logger.log(
          `stay adjustment ${event.data.adjustmentId} of ${row.stay_key} moves nothing (${event.data.reason})`,
        );
      }
      stay = outcome.stay;
      gained = addCredit(gained, outcome.gained);
      reached = outcome.reached;
      for (const announcement of adjustmentAnnouncements(work.stored.guestId, context, outcome)) {
        announcements.push({ adjustment: event, announcement });
      }
    }
    return { work, stay, gained, reached, announcements };
  }
}

/**
 * The adjustments not applied before, under any event id, in their order; of two with one key (the same
 * adjustment delivered twice), the first.
 */
async function unclaimed(manager: EntityManager, events: readonly StayAdjusted[]): Promise<StayAdjusted[]> {
  const keys = [...new Set(events.map(adjustmentKeyOf))];
  const rows: { key: string }[] = await manager.query(
    `select key from applied_operations where kind = 'stay-adjustment' and key = any($1::text[])`,
    [keys],
  );
  const taken = new Set(rows.map((row) => row.key));
  return events.filter((event) => {
    const key = adjustmentKeyOf(event);
    if (taken.has(key)) return false;
    taken.add(key);
    return true;
  });
}

/**
 * `credited_stays.nights_adjusted_at` as an ISO instant to the microsecond: read as a Date, it would lose
 * what `postedAfter` compares beyond the millisecond.
 */
const NIGHTS_ADJUSTED_AT = `to_char(nights_adjusted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  as nights_adjusted_at`;

/** Locks the stay's row, so adjustments of one stay apply one after the other; undefined until it is credited. */
async function lockCreditedStay(
  manager: EntityManager,
  stayKey: string,
): Promise<CreditedStayRow | undefined> {
  const [stay]: CreditedStayRow[] = await manager.query(
    `select stay_key, account_id, stay_id, property_id, qualifying_revenue_minor, points, base_points,
       qualifying_year, earning, nights, stays, ${NIGHTS_ADJUSTED_AT}, nights_adjustment_key
     from credited_stays where stay_key = $1 for update`,
    [stayKey],
  );
  return stay;
}

async function writeCreditedStay(manager: EntityManager, stay: AdjustableStay): Promise<void> {
  await manager.query(
    `update credited_stays set qualifying_revenue_minor = $2, points = $3, base_points = $4, nights = $5,
       stays = $6, nights_adjusted_at = $7, nights_adjustment_key = $8
     where stay_key = $1`,
    [
      stay.stayKey,
      stay.qualifyingRevenueMinor,
      stay.points,
      stay.basePoints,
      stay.nights,
      stay.stays,
      stay.nightsSetBy?.adjustedAt ?? null,
      stay.nightsSetBy?.adjustmentKey ?? null,
    ],
  );
}

function adjustableStayOf(row: CreditedStayRow): AdjustableStay {
  return {
    stayKey: row.stay_key,
    propertyId: row.property_id,
    earning: row.earning,
    qualifyingRevenueMinor: Number(row.qualifying_revenue_minor),
    points: row.points,
    basePoints: row.base_points,
    nights: row.nights,
    stays: row.stays,
    nightsSetBy:
      row.nights_adjusted_at === null
        ? null
        : { adjustedAt: row.nights_adjusted_at, adjustmentKey: row.nights_adjustment_key },
  };
}

function movesNothing({ changes, gained }: AdjustmentOutcome): boolean {
  return changes.length === 0 && gainsNothing(gained);
}

const NO_CREDIT: QualifyingCredit = { nights: 0, stays: 0, basePoints: 0 };

function gainsNothing(credit: QualifyingCredit): boolean {
  return credit.nights === 0 && credit.stays === 0 && credit.basePoints === 0;
}

function addCredit(a: QualifyingCredit, b: QualifyingCredit): QualifyingCredit {
  return { nights: a.nights + b.nights, stays: a.stays + b.stays, basePoints: a.basePoints + b.basePoints };
}
