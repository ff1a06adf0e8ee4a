import type { ValidatedEvent } from '@loyalty/contracts';
import {
  correctionMilestones,
  evaluateTier,
  planStayAdjustment,
  type AdjustableStay,
  type CorrectedYear,
  type LedgerChange,
  type PointsMove,
  type QualifyingCredit,
  type StayAdjustment,
  type TierChange,
  type YearCounts,
} from '../domain';
import type { AccountWork } from './account-work';
import { guard } from './guard';
import { announcementsOf, tierAnnouncement, type Announcement } from './ledger-announcements';
import { LEDGER_PROGRAM } from './ledger-program';

export type StayAdjusted = ValidatedEvent<'stay-adjusted'>;

/** The key an adjustment is applied once by, whatever event id it arrives under. */
export function adjustmentKeyOf(event: StayAdjusted): string {
  return `${event.data.propertyId}/${event.data.adjustmentId}`;
}

export function adjustmentOf(event: StayAdjusted): StayAdjustment {
  const { propertyId, revenueDelta, adjustedAt } = event.data;
  const nights = 'nights' in event.data ? event.data.nights : undefined;
  return {
    propertyId,
    revenueDelta,
    adjustedAt,
    adjustmentKey: adjustmentKeyOf(event),
    ...(nights === undefined ? {} : { nights }),
  };
}

/** What one adjustment did, for its caller to write and announce. */
export interface AdjustmentOutcome {
  readonly stay: AdjustableStay;
  /** Its points, in order: those its revenue moved, then the milestones its nights crossed. */
  readonly changes: readonly LedgerChange[];
  /** Qualifying credits it adds to the stay's year (negative where it takes them off). */
  readonly gained: QualifyingCredit;
  /** The most nights and stays the stay's year has reached after it (milestones up to them are settled). */
  readonly reached: YearCounts;
  readonly tierChange: TierChange | null;
}

/** The stay's year as an adjustment finds it: its credits so far, and the most its counts reached. */
export interface AdjustedYear extends CorrectedYear {
  readonly yearToDate: QualifyingCredit;
}

/**
 * Applies one adjustment to a credited stay of the locked account in `work`, in memory
 * (`planStayAdjustment`): the points reversed or topped up, the milestones crossed by nights it adds paid
 * (`correctionMilestones`), and the tier upgraded at once by credits gained, while credits lost wait for
 * the year-end re-evaluation like every downgrade. The adjustment handler and a batch crediting stays that
 * adjustments waited for both write what it returns, so an adjustment does the same whichever of the two
 * it arrives before. `now` is when the ledger applies it (on arrival, with its stay, at the reactivation of
 * its account or by the job), as for a merge: it decides whether the stay's year still pays milestones.
 */
export function adjustCreditedStay(
  work: AccountWork,
  stay: AdjustableStay,
  event: StayAdjusted,
  progress: AdjustedYear,
  now: Date,
): AdjustmentOutcome {
  const plan = guard(() => planStayAdjustment(stay, adjustmentOf(event), work.tier.tierId, LEDGER_PROGRAM));
  const revenueChange = movePoints(work, stay.stayKey, plan.move, event, now);
  const gained = {
    nights: plan.stay.nights - stay.nights,
    stays: plan.stay.stays - stay.stays,
    basePoints: basePointsMoved(plan.move, revenueChange),
  };
  const milestones = correctionMilestones(LEDGER_PROGRAM.milestones, progress, gained, stay.earning, now);
  const milestoneChange =
    milestones.awards.length === 0
      ? undefined
      : guard(() =>
          work.apply(
            work.account.payCorrectionMilestones(
              stay.stayKey,
              milestones.awards,
              event.envelope.id,
              new Date(event.data.adjustedAt),
              LEDGER_PROGRAM,
              now,
            ),
          ),
        );
  return {
    stay: plan.stay,
    changes: [revenueChange, milestoneChange].filter((change) => change !== undefined),
    gained,
    reached: milestones.reached,
    tierChange: upgradeOnGain(work, progress, gained, now),
  };
}

/** The public events of an adjustment: its points (`points-earned` or `points-reversed`), then any new tier. */
export function adjustmentAnnouncements(
  guestId: string,
  stay: { stayId: string; propertyId: string },
  outcome: AdjustmentOutcome,
): Announcement[] {
  const announcements = outcome.changes.flatMap((change) => announcementsOf(change, { guestId, stay }));
  const tier = tierAnnouncement(guestId, outcome.tierChange);
  if (tier) announcements.push(tier);
  return announcements;
}

function movePoints(
  work: AccountWork,
  stayKey: string,
  move: PointsMove,
  event: StayAdjusted,
  now: Date,
): LedgerChange | undefined {
  switch (move.kind) {
    case 'reverse':
      return guard(() => work.apply(work.account.reverse(stayKey, move.share, event.envelope.id, now)));
    case 'top-up':
      // Its points are locked from when the adjustment was posted, as the stay's were from check-out.
      return guard(() =>
        work.apply(
          work.account.topUpStay(
            move.topUp,
            event.envelope.id,
            new Date(event.data.adjustedAt),
            LEDGER_PROGRAM,
            now,
          ),
        ),
      );
    case 'none':
      return undefined;
  }
}

function basePointsMoved(move: PointsMove, change: LedgerChange | undefined): number {
  if (move.kind === 'top-up') return move.topUp.basePoints;
  if (move.kind === 'reverse' && change) return -reversedBasePoints(change);
  return 0;
}

function reversedBasePoints(change: LedgerChange): number {
  return change.events.reduce(
    (sum, event) => (event.type === 'points-reversed' ? sum + event.qualifyingBasePointsReversed : sum),
    0,
  );
}

/** Credits gained can upgrade the tier at once; credits lost wait for the year-end re-evaluation. */
function upgradeOnGain(
  work: AccountWork,
  { year, yearToDate }: AdjustedYear,
  gained: QualifyingCredit,
  now: Date,
): TierChange | null {
  if (gained.nights <= 0 && gained.stays <= 0 && gained.basePoints <= 0) return null;
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
