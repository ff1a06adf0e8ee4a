import type { Role } from '@loyalty/auth';
import { sumPoints, type Lot } from './lots';
import type { MilestoneAwardLine } from './milestones';
import type { PromotionAwardLine } from './promotions';

export type EntryType = 'earn' | 'redeem' | 'expire' | 'adjust' | 'reverse' | 'transfer';

export type CauseKind =
  | 'stay'
  | 'stay-adjustment'
  /** A stay credited on both sides of a merge: the merged-in credit is taken back. */
  | 'duplicate-credit'
  | 'redemption'
  | 'staff-adjustment'
  | 'lot-expiry'
  | 'inactivity-expiry'
  | 'transfer'
  | 'merge'
  | 'clawback-settlement';

/** What a redemption bought, as the staff member confirming it named it. */
export interface RedeemedReward {
  readonly kind: string;
  readonly reference: string;
}

/** Why an entry exists: enough to trace it to the event, stay, complaint or person behind it. */
export interface EntryCause {
  readonly kind: CauseKind;
  readonly sourceEventId?: string;
  readonly stayKey?: string;
  /** On reversals: the earn entry being taken back. */
  readonly earnEntryId?: string;
  /**
   * On a refund's reversal of a top-up that records its revenue: the stay revenue the refund took back from
   * it, in the property's currency (minor units), so the next refund knows what the top-up has left.
   */
  readonly stayRevenueMinor?: number;
  readonly complaintId?: string;
  readonly staffId?: string;
  readonly role?: Role;
  readonly reason?: string;
  readonly holdId?: string;
  readonly redemptionId?: string;
  /** On redemptions: the property the reward was used at, and the reward. */
  readonly propertyId?: string;
  readonly reward?: RedeemedReward;
  readonly transferId?: string;
  readonly counterpartyAccountId?: string;
}

export interface EarnBreakdown {
  readonly basePoints: number;
  readonly tierBonus: number;
  readonly promotions: readonly PromotionAwardLine[];
  readonly milestones: readonly MilestoneAwardLine[];
  /**
   * On a top-up: the qualifying revenue it earned on, in the property's currency (minor units), as the stay
   * counts its revenue. Top-ups booked before the ledger recorded it have none, and the stay's own credit
   * never has: its revenue is what the stay has beyond its top-ups (`reverseStay`).
   */
  readonly stayRevenueMinor?: number;
}

/** One immutable line of an account's history. The balance is the sum of `points` over all entries. */
export interface LedgerEntry {
  /** `<accountId>:<sequence>`; entries keep their id when a merge moves them to another account. */
  readonly id: string;
  /** The account the entry was written to. */
  readonly accountId: string;
  readonly sequence: number;
  readonly type: EntryType;
  /** Signed change to the balance; 0 for records that move no points (a non-earning stay, a merge). */
  readonly points: number;
  readonly occurredAt: Date;
  readonly cause: EntryCause;
  /** Change to clawback owed: positive on a reversal that could not take all its points, negative on settlement. */
  readonly clawbackDelta?: number;
  /**
   * On reversals: points of the earn taken back that had expired already. The guest lost them at expiry,
   * so the reversal counts them as taken back and does not take them a second time.
   */
  readonly alreadyExpired?: number;
  readonly earn?: EarnBreakdown;
}

function reversalsOf(earn: LedgerEntry, entries: readonly LedgerEntry[]): LedgerEntry[] {
  return entries.filter((entry) => entry.type === 'reverse' && entry.cause.earnEntryId === earn.id);
}

/** Points an earn entry has left to reverse, given every reversal that names it. */
export function unreversedPoints(earn: LedgerEntry, entries: readonly LedgerEntry[]): number {
  const reversed = reversalsOf(earn, entries).reduce((sum, entry) => sum + reversedBy(entry), 0);
  return earn.points - reversed;
}

/**
 * What a reversal took back: the points debited, the shortfall it turned into clawback, and the points
 * that had expired already.
 */
export function reversedBy(entry: LedgerEntry): number {
  return -entry.points + Math.max(0, entry.clawbackDelta ?? 0) + (entry.alreadyExpired ?? 0);
}

/**
 * Points of an earn entry that expired and that no reversal of it has counted yet: its expired lots (a lot
 * split from it keeps its source entry) less what reversals counted as `alreadyExpired`.
 */
export function expiredUnreversedPoints(
  earn: LedgerEntry,
  lots: readonly Lot[],
  entries: readonly LedgerEntry[],
): number {
  const expired = sumPoints(lots.filter((lot) => lot.state === 'expired' && lot.sourceEntryId === earn.id));
  const counted = reversalsOf(earn, entries).reduce((sum, entry) => sum + (entry.alreadyExpired ?? 0), 0);
  return expired - counted;
}

/**
 * The points of an earn entry that stand for the stay's revenue: base points and the tier bonus on them.
 * Promotions and milestones were decided on the stay's dates and nights, which a revenue change does not
 * move, so refunds never take them (a top-up, for revenue added later, is all revenue points).
 */
export function revenuePoints(earn: LedgerEntry): number {
  return earn.earn ? earn.earn.basePoints + earn.earn.tierBonus : earn.points;
}

/**
 * Revenue points an earn entry has left to reverse. Refunds take only these, so whatever has been reversed
 * came out of them first; the promotion and milestone points go only with the whole entry (a stay
 * credited on both sides of a merge), which leaves none.
 */
export function unreversedRevenuePoints(earn: LedgerEntry, entries: readonly LedgerEntry[]): number {
  const otherPoints = earn.points - revenuePoints(earn);
  return Math.max(0, unreversedPoints(earn, entries) - otherPoints);
}

/**
 * The qualifying base points an earn entry still counts, given the revenue points it has left: refunds
 * take base points back in the same proportion as revenue points, so what is left of both stays in step.
 */
export function unreversedBasePoints(earn: LedgerEntry, revenuePointsLeft: number): number {
  const revenue = revenuePoints(earn);
  if (revenue <= 0) return 0;
  return Math.round(((earn.earn?.basePoints ?? 0) * revenuePointsLeft) / revenue);
}
