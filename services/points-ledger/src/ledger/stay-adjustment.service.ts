import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  progressOfYear,
  qualifyingRevenueChange,
  stayKeyOf,
  type AdjustableStay,
  type QualifyingCredit,
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
import type { Publish } from './ledger-announcements';
import { claimOperation } from './ledger-events.service';
import { LEDGER_PROGRAM } from './ledger-program';
import { parkAdjustment, unpark } from './parked-adjustments';
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
  nights_adjusted_at: Date | null;
}

/**
 * Revenue of a credited stay changed after check-out, and from `stay-adjusted` v2 perhaps its nights
 * (`adjustCreditedStay`). The adjustment comes straight from the property while its stay goes through
 * profiles first, so it routinely arrives before the stay is credited: it is then parked, and applied
 * when the stay is (`StayEarningService`). One parked while the stay's crediting transaction ran, which
 * could not see it, is applied before the stay's next adjustment, or by the `apply-parked-adjustments` job.
 */
@Injectable()
export class StayAdjustmentService {
  private readonly logger = new Logger(StayAdjustmentService.name);

  constructor(private readonly store: AccountStore) {}

  async adjustStay(
    manager: EntityManager,
    event: StayAdjusted,
    now: Date,
    publishFor: (adjustment: StayAdjusted) => Publish,
  ): Promise<void> {
    const stayKey = stayKeyOf(event.data);
    const stay = await lockCreditedStay(manager, stayKey);
    if (!stay) {
      await this.park(manager, event, now);
      return;
    }
    const parked = await unpark(manager, stayKey);
    await this.applyInOrder(manager, stay, [...parked, event], now, publishFor);
  }

  /** Applies the adjustments still parked for a stay that has been credited; how many there were. */
  async applyParked(
    manager: EntityManager,
    stayKey: string,
    now: Date,
    publishFor: (adjustment: StayAdjusted) => Publish,
  ): Promise<number> {
    const stay = await lockCreditedStay(manager, stayKey);
    if (!stay) return 0;
    const parked = await unpark(manager, stayKey);
    await this.applyInOrder(manager, stay, parked, now, publishFor);
    return parked.length;
  }

  private async park(manager: EntityManager, event: StayAdjusted, now: Date): Promise<void> {
    // What no stay can mend (an unknown property, revenue in another currency) is refused now, not later.
    guard(() => qualifyingRevenueChange(event.data, LEDGER_PROGRAM));
    if (await parkAdjustment(manager, event, now)) {
      this.logger.log(
        `stay adjustment ${event.data.adjustmentId} of ${stayKeyOf(event.data)} waits for its stay to be credited`,
      );
    }
  }

  /**
   * Applies the adjustments of one stay in order to its account, locked and loaded once and written once;
   * each adjustment is claimed once, and one applied before (under any event id) is skipped.
   */
  private async applyInOrder(
    manager: EntityManager,
    row: CreditedStayRow,
    events: readonly StayAdjusted[],
    now: Date,
    publishFor: (adjustment: StayAdjusted) => Publish,
  ): Promise<void> {
    const claimed: StayAdjusted[] = [];
    for (const event of events) {
      if (await claimOperation(manager, 'stay-adjustment', adjustmentKeyOf(event), row.account_id))
        claimed.push(event);
    }
    if (claimed.length === 0) return;
    const stored = await this.store.lockOne(manager, row.account_id, { stayKeys: [row.stay_key] });
    if (!stored) throw new Error(`account ${row.account_id} vanished`);
    const work = new AccountWork(stored);
    const year = row.qualifying_year;
    const loaded = progressOfYear(work.stored.progress, year);
    // What the adjustments add to the stay's year: each one measures against the credits the earlier left.
    let gained: QualifyingCredit = NO_CREDIT;
    let { reached } = loaded;
    let stay = adjustableStayOf(row);
    const context = { stayId: row.stay_id, propertyId: row.property_id };
    for (const event of claimed) {
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
      const publish = publishFor(event);
      for (const { type, data } of adjustmentAnnouncements(stored.guestId, context, outcome)) {
        await publish(type, data);
      }
    }
    await writeCreditedStay(manager, stay);
    await this.store.save(manager, writesOf([work]));
    // Milestones settled raise the year's mark even when the adjustments' counts add up to nothing.
    if (!gainsNothing(gained) || reached !== loaded.reached) {
      const { nights, stays, basePoints } = gained;
      await addProgress(manager, [
        {
          account_id: work.id,
          year,
          nights,
          stays,
          base_points: basePoints,
          nights_reached: reached.nights,
          stays_reached: reached.stays,
        },
      ]);
    }
  }
}

/** Locks the stay's row, so adjustments of one stay apply one after the other; undefined until it is credited. */
async function lockCreditedStay(
  manager: EntityManager,
  stayKey: string,
): Promise<CreditedStayRow | undefined> {
  const [stay]: CreditedStayRow[] = await manager.query(
    `select stay_key, account_id, stay_id, property_id, qualifying_revenue_minor, points, base_points,
       qualifying_year, earning, nights, stays, nights_adjusted_at
     from credited_stays where stay_key = $1 for update`,
    [stayKey],
  );
  return stay;
}

async function writeCreditedStay(manager: EntityManager, stay: AdjustableStay): Promise<void> {
  await manager.query(
    `update credited_stays set qualifying_revenue_minor = $2, points = $3, base_points = $4, nights = $5,
       stays = $6, nights_adjusted_at = $7
     where stay_key = $1`,
    [
      stay.stayKey,
      stay.qualifyingRevenueMinor,
      stay.points,
      stay.basePoints,
      stay.nights,
      stay.stays,
      stay.nightsAdjustedAt,
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
    nightsAdjustedAt: row.nights_adjusted_at,
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
