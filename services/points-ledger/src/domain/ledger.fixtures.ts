// Builders shared by the specs of this folder (not a spec itself, so jest does not run it).
import { LedgerAccount } from './account';
import { addDays } from './calendar';
import { DEFAULT_PROGRAM } from './default-program';
import type { EarnResult } from './earning';
import type { LedgerPolicy } from './program-rules';
import type { RefundShare } from './reversal';

export const T0 = new Date('2026-01-10T12:00:00.000Z');

export const at = (days: number, from: Date = T0): Date => addDays(from, days);

export const POLICY: LedgerPolicy = {
  lockPeriodDays: DEFAULT_PROGRAM.lockPeriodDays,
  expiry: DEFAULT_PROGRAM.expiry,
  adjustmentCaps: DEFAULT_PROGRAM.adjustmentCaps,
};

/** An earn result as `calculateEarn` would produce it, for a stay that checked out at `checkedOutAt`. */
export function earned(
  stayKey: string,
  total: number,
  checkedOutAt: Date = T0,
  basePoints = total,
): EarnResult {
  return {
    stayKey,
    stayId: `stay-${stayKey}`,
    propertyId: stayKey.split('/')[0],
    checkedOutAt,
    calculatedAt: checkedOutAt,
    earning: total > 0,
    qualifyingRevenue: { amountMinor: basePoints * 10, currency: 'USD' },
    basePoints,
    tierBonus: total - basePoints,
    promotions: [],
    milestones: [],
    total,
    qualifying: { nights: 1, stays: 1, basePoints },
  };
}

/**
 * `result` with a promotion and a milestone award on top of its base points and tier bonus, as a stay on
 * the promotion's dates that crossed the 40-night milestone earns.
 */
export function withBonuses(
  result: EarnResult,
  promotionPoints: number,
  milestonePoints: number,
): EarnResult {
  return {
    ...result,
    promotions: [{ id: 'spring-double-2026', points: promotionPoints, limitPeriod: 'promotion' }],
    milestones: [{ id: 'every-10-nights-from-40', threshold: 40, points: milestonePoints }],
    total: result.total + promotionPoints + milestonePoints,
  };
}

/** An account holding `points` already available (checked out before the lock period). */
export function accountWith(points: number, id = 'acc-1', now: Date = T0): LedgerAccount {
  const account = LedgerAccount.open(id, `guest-${id}`, at(-30, now));
  if (points === 0) return account;
  return account.earn(earned(`seed/${id}`, points, at(-10, now)), `evt-seed-${id}`, POLICY, now).account;
}

/** The share `part / whole` of a stay's points a refund reverses: `share(1, 4)` for a quarter. */
export const share = (part: number, whole: number): RefundShare => ({ part, whole });
