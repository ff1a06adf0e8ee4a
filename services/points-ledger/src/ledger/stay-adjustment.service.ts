import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ValidatedEvent } from '@loyalty/contracts';
import { PermanentEventError } from '@loyalty/messaging';
import { calculateTopUp, evaluateTier, qualifyingRevenueOf, type LedgerChange } from '../domain';
import { AccountStore } from './account-store';
import { AccountWork, writesOf } from './account-work';
import { announce, announceTier, type Publish } from './ledger-announcements';
import { claimOperation } from './ledger-events.service';
import { LEDGER_PROGRAM } from './ledger-program';
import { addProgress, guard } from './stay-earning.service';

type StayAdjusted = ValidatedEvent<'stay-adjusted'>;

interface CreditedStayRow {
  account_id: string;
  stay_id: string;
  qualifying_revenue_minor: string;
  qualifying_year: number;
  earning: boolean;
}

/**
 * Revenue of a credited stay changed after check-out. What counts is the change of qualifying revenue
 * (room, and F&B where the property counts it), whatever the reason: less of it (a refund, a correction
 * downwards) reverses the stay's points in that proportion of what it was credited on (clawback rule);
 * more of it (a correction upwards, a late charge) earns the difference (`calculateTopUp`). A change of
 * other revenue alone moves nothing. An adjustment of a stay this ledger never credited is dead-lettered
 * (STAY_NOT_CREDITED), to be replayed from the DLQ once the stay is credited.
 */
@Injectable()
export class StayAdjustmentService {
  private readonly logger = new Logger(StayAdjustmentService.name);

  constructor(private readonly store: AccountStore) {}

  async adjustStay(manager: EntityManager, event: StayAdjusted, now: Date, publish: Publish): Promise<void> {
    const { propertyId, reservationId, adjustmentId, revenueDelta } = event.data;
    const stayKey = `${propertyId}/${reservationId}`;
    const [stay]: CreditedStayRow[] = await manager.query(
      `select account_id, stay_id, qualifying_revenue_minor, qualifying_year, earning
       from credited_stays where stay_key = $1`,
      [stayKey],
    );
    if (!stay) {
      throw new PermanentEventError('STAY_NOT_CREDITED', `stay ${stayKey} has not been credited`);
    }
    if (!(await claimOperation(manager, 'stay-adjustment', `${propertyId}/${adjustmentId}`, stay.account_id)))
      return;
    const property = LEDGER_PROGRAM.properties[propertyId];
    const delta = guard(() => qualifyingRevenueOf(revenueDelta, property)).amountMinor;
    const credited = Number(stay.qualifying_revenue_minor);
    if (delta === 0 || (delta < 0 && credited <= 0)) {
      this.logger.log(`stay adjustment ${adjustmentId} of ${stayKey} moves no points (${event.data.reason})`);
      return;
    }
    const stored = await this.store.lockOne(manager, stay.account_id, { stayKeys: [stayKey] });
    if (!stored) throw new Error(`account ${stay.account_id} vanished`);
    const work = new AccountWork(stored);
    const context = { guestId: stored.guestId, stay: { stayId: stay.stay_id, propertyId } };
    if (delta < 0) {
      const proportion = Math.min(1, -delta / credited);
      const change = guard(() =>
        work.apply(work.account.reverse(stayKey, proportion, event.envelope.id, now)),
      );
      await this.store.save(manager, writesOf([work]));
      await this.addBasePoints(manager, work, stay, -reversedBasePoints(change));
      await announce(publish, change, context);
      return;
    }
    const topUp = guard(() =>
      calculateTopUp(
        { stayKey, propertyId, earning: stay.earning },
        revenueDelta,
        work.tier.tierId,
        LEDGER_PROGRAM,
      ),
    );
    const change = guard(() =>
      work.apply(
        work.account.topUpStay(
          topUp,
          event.envelope.id,
          new Date(event.data.adjustedAt),
          LEDGER_PROGRAM,
          now,
        ),
      ),
    );
    const yearToDate = progressOf(work, stay.qualifying_year);
    const evaluation = evaluateTier(
      { ...yearToDate, basePoints: yearToDate.basePoints + topUp.basePoints },
      LEDGER_PROGRAM,
      work.tier,
      now,
      stay.qualifying_year,
    );
    work.tier = evaluation.status;
    await this.store.save(manager, writesOf([work]));
    // Later refunds are in proportion to all the qualifying revenue the stay was credited on.
    await manager.query(
      `update credited_stays set qualifying_revenue_minor = qualifying_revenue_minor + $2,
         points = points + $3, base_points = base_points + $4 where stay_key = $1`,
      [stayKey, delta, topUp.total, topUp.basePoints],
    );
    await this.addBasePoints(manager, work, stay, topUp.basePoints);
    await announce(publish, change, context);
    await announceTier(publish, stored.guestId, evaluation.change);
  }

  private async addBasePoints(
    manager: EntityManager,
    work: AccountWork,
    stay: CreditedStayRow,
    basePoints: number,
  ): Promise<void> {
    if (basePoints === 0) return;
    await addProgress(manager, [
      { account_id: work.id, year: stay.qualifying_year, nights: 0, stays: 0, base_points: basePoints },
    ]);
  }
}

function reversedBasePoints(change: LedgerChange): number {
  return change.events.reduce(
    (sum, event) => (event.type === 'points-reversed' ? sum + event.qualifyingBasePointsReversed : sum),
    0,
  );
}

function progressOf(work: AccountWork, year: number): { nights: number; stays: number; basePoints: number } {
  return work.stored.progress.find((row) => row.year === year) ?? { nights: 0, stays: 0, basePoints: 0 };
}
