import type { AccountDraft } from './account-draft';
import type { AccountSnapshot } from './account-snapshot';
import { addDays, addMonths } from './calendar';
import type { ExpiryRule, LedgerPolicy } from './program-rules';
import { inState, isUnheld, Lot, sumPoints } from './lots';

// Expiry takes effect when `expireLots` runs (a daily job), not the instant a date passes, and never touches
// held lots: a redemption in progress must be able to complete. Released lots past their date expire on the
// next run. Exemption is decided with the guest's tier on the day the job runs.

const applies = (rule: ExpiryRule | null, tierId: string): rule is ExpiryRule =>
  rule !== null && !rule.exemptTierIds.includes(tierId);

export function inactivityDeadline(lastActivityAt: Date, rule: ExpiryRule): Date {
  return addMonths(lastActivityAt, rule.months);
}

/** `addMonths` clamps to the month's last day, so stepping back from a deadline can land up to 3 days early. */
const CLAMPED_DAYS = 3;

/**
 * The latest last activity whose `inactivityDeadline` may have come by `at`, for a query to find the
 * accounts `expireLots` must look at. Not exact: 29 Feb 2024 + 24 months is 28 Feb 2026, but 28 Feb 2026 −
 * 24 months is 28 Feb 2024, so the plain inverse misses the day. A few days more select a superset, which
 * `expireLots` and `expiringSoon` decide account by account.
 */
export function lastActivityDueBy(at: Date, rule: Pick<ExpiryRule, 'months'>): Date {
  return addDays(addMonths(at, -rule.months), CLAMPED_DAYS);
}

function expire(draft: AccountDraft, lots: readonly Lot[], reason: 'lot' | 'inactivity'): void {
  const points = sumPoints(lots);
  if (points === 0) return;
  const entryId = draft.peekEntryId();
  const ids = new Set(lots.map((lot) => lot.id));
  draft.lots = draft.lots.map((lot) =>
    ids.has(lot.id) ? inState(lot, 'expired', { closedByEntryId: entryId }) : lot,
  );
  draft.appendEntry({
    type: 'expire',
    points: -points,
    cause: { kind: reason === 'lot' ? 'lot-expiry' : 'inactivity-expiry' },
  });
  draft.emit({ type: 'points-expired', entryId, points, reason });
}

export function expireLots(draft: AccountDraft, tierId: string, policy: LedgerPolicy): void {
  const now = draft.now.getTime();
  const { lot: lotRule, inactivity } = policy.expiry;
  if (applies(lotRule, tierId)) {
    expire(
      draft,
      draft.lots.filter((lot) => isUnheld(lot) && lot.expiresAt !== null && lot.expiresAt.getTime() <= now),
      'lot',
    );
  }
  if (applies(inactivity, tierId) && inactivityDeadline(draft.lastActivityAt, inactivity).getTime() <= now) {
    expire(draft, draft.lots.filter(isUnheld), 'inactivity');
  }
}

export interface ExpiringPoints {
  readonly reason: 'lot' | 'inactivity';
  readonly expiresAt: Date;
  readonly points: number;
}

/**
 * What the next `days` will expire, for `points-expiring-soon`: one line per lot expiry instant (overdue
 * lots included, as the next run takes them) and one for inactivity, which covers all unheld points, so
 * the two may overlap. Nothing for exempt tiers.
 */
export function expiringSoon(
  snapshot: AccountSnapshot,
  now: Date,
  days: number,
  tierId: string,
  policy: LedgerPolicy,
): ExpiringPoints[] {
  const horizon = addDays(now, days).getTime();
  const unheld = snapshot.lots.filter(isUnheld);
  const notices: ExpiringPoints[] = [];
  if (applies(policy.expiry.lot, tierId)) {
    const byInstant = new Map<number, number>();
    for (const lot of unheld) {
      const at = lot.expiresAt?.getTime();
      if (at !== undefined && at <= horizon) byInstant.set(at, (byInstant.get(at) ?? 0) + lot.points);
    }
    for (const [at, points] of [...byInstant].sort(([a], [b]) => a - b))
      notices.push({ reason: 'lot', expiresAt: new Date(at), points });
  }
  const inactivity = policy.expiry.inactivity;
  if (applies(inactivity, tierId) && unheld.length > 0) {
    const deadline = inactivityDeadline(snapshot.lastActivityAt, inactivity);
    if (deadline.getTime() <= horizon)
      notices.push({ reason: 'inactivity', expiresAt: deadline, points: sumPoints(unheld) });
  }
  return notices;
}
