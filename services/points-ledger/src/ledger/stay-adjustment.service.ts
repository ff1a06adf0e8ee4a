import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ValidatedEvent } from '@loyalty/contracts';
import { PermanentEventError } from '@loyalty/messaging';
import {
  calculateTopUp,
  evaluateTier,
  qualifyingRevenueOf,
  requalifiedNights,
  type LedgerChange,
  type QualifyingCredit,
  type TierChange,
} from '../domain';
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
  nights: number;
  stays: number;
}

/**
 * Revenue of a credited stay changed after check-out, and from `stay-adjusted` v2 perhaps its nights. What
 * counts for points is the change of qualifying revenue (room, and F&B where the property counts it),
 * whatever the reason: less of it (a refund, a correction downwards) takes back from the points the stay
 * still has the share its qualifying revenue lost (clawback rule); more of it (a correction upwards, a
 * late charge) earns the difference (`calculateTopUp`). A change of other revenue alone moves no points.
 * Corrected nights replace the stay's qualifying nights (`requalifiedNights`). Credits gained can upgrade
 * the tier at once; credits lost wait for the year-end re-evaluation, like every downgrade. An adjustment
 * of a stay this ledger never credited is dead-lettered (STAY_NOT_CREDITED), to be replayed from the DLQ
 * once the stay is credited.
 */
@Injectable()
export class StayAdjustmentService {
  private readonly logger = new Logger(StayAdjustmentService.name);

  constructor(private readonly store: AccountStore) {}

  async adjustStay(manager: EntityManager, event: StayAdjusted, now: Date, publish: Publish): Promise<void> {
    const { propertyId, reservationId, adjustmentId, revenueDelta } = event.data;
    const stayKey = `${propertyId}/${reservationId}`;
    const [stay]: CreditedStayRow[] = await manager.query(
      `select account_id, stay_id, qualifying_revenue_minor, qualifying_year, earning, nights, stays
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
    const move = pointsMoveOf(delta, Number(stay.qualifying_revenue_minor));
    const nights = 'nights' in event.data ? event.data.nights : undefined;
    const requalified = nights === undefined ? undefined : requalifiedNights(stay, nights, LEDGER_PROGRAM);
    const nightsDelta = requalified ? requalified.nights - stay.nights : 0;
    const staysDelta = requalified ? requalified.stays - stay.stays : 0;
    if (move === 'none' && nightsDelta === 0 && staysDelta === 0) {
      this.logger.log(`stay adjustment ${adjustmentId} of ${stayKey} moves nothing (${event.data.reason})`);
      return;
    }
    const stored = await this.store.lockOne(manager, stay.account_id, { stayKeys: [stayKey] });
    if (!stored) throw new Error(`account ${stay.account_id} vanished`);
    const work = new AccountWork(stored);
    const { change, basePoints } = await this.movePoints(manager, work, event, stay, move, delta, now);
    if (requalified) {
      await manager.query('update credited_stays set nights = $2, stays = $3 where stay_key = $1', [
        stayKey,
        requalified.nights,
        requalified.stays,
      ]);
    }
    const gained = { nights: nightsDelta, stays: staysDelta, basePoints };
    const tierChange = upgradeOnGain(work, stay.qualifying_year, gained, now);
    await this.store.save(manager, writesOf([work]));
    if (nightsDelta !== 0 || staysDelta !== 0 || basePoints !== 0) {
      await addProgress(manager, [
        {
          account_id: work.id,
          year: stay.qualifying_year,
          nights: nightsDelta,
          stays: staysDelta,
          base_points: basePoints,
        },
      ]);
    }
    const context = { guestId: stored.guestId, stay: { stayId: stay.stay_id, propertyId } };
    if (change) await announce(publish, change, context);
    await announceTier(publish, stored.guestId, tierChange);
  }

  /** Reverses or tops up the stay's points for its change of qualifying revenue, if any. */
  private async movePoints(
    manager: EntityManager,
    work: AccountWork,
    event: StayAdjusted,
    stay: CreditedStayRow,
    move: PointsMove,
    /** The change of qualifying revenue, in the property's currency. */
    delta: number,
    now: Date,
  ): Promise<{ change?: LedgerChange; basePoints: number }> {
    const { propertyId, reservationId, revenueDelta } = event.data;
    const stayKey = `${propertyId}/${reservationId}`;
    if (move === 'reverse') {
      const proportion = Math.min(1, -delta / Number(stay.qualifying_revenue_minor));
      const change = guard(() =>
        work.apply(work.account.reverse(stayKey, proportion, event.envelope.id, now)),
      );
      // A later refund is a share of what is left: measured against the revenue this one already took out.
      await manager.query(
        `update credited_stays set qualifying_revenue_minor = greatest(0, qualifying_revenue_minor + $2)
         where stay_key = $1`,
        [stayKey, delta],
      );
      return { change, basePoints: -reversedBasePoints(change) };
    }
    if (move === 'none') return { basePoints: 0 };
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
    // Later refunds are in proportion to all the qualifying revenue the stay now has.
    await manager.query(
      `update credited_stays set qualifying_revenue_minor = qualifying_revenue_minor + $2,
         points = points + $3, base_points = base_points + $4 where stay_key = $1`,
      [stayKey, delta, topUp.total, topUp.basePoints],
    );
    return { change, basePoints: topUp.basePoints };
  }
}

type PointsMove = 'reverse' | 'top-up' | 'none';

/** A refund reverses points in proportion, if the stay earned on any revenue; a charge added tops them up. */
function pointsMoveOf(revenueDelta: number, creditedRevenue: number): PointsMove {
  if (revenueDelta < 0) return creditedRevenue > 0 ? 'reverse' : 'none';
  return revenueDelta > 0 ? 'top-up' : 'none';
}

/** Credits gained can upgrade the tier at once; credits lost wait for the year-end re-evaluation. */
function upgradeOnGain(
  work: AccountWork,
  year: number,
  gained: QualifyingCredit,
  now: Date,
): TierChange | null {
  if (gained.nights <= 0 && gained.stays <= 0 && gained.basePoints <= 0) return null;
  const yearToDate = progressOf(work, year);
  const evaluation = evaluateTier(
    {
      nights: yearToDate.nights + gained.nights,
      stays: yearToDate.stays + gained.stays,
      basePoints: yearToDate.basePoints + gained.basePoints,
    },
    LEDGER_PROGRAM,
    work.tier,
    now,
    year,
  );
  work.tier = evaluation.status;
  return evaluation.change;
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
