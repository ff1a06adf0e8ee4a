import type { Role } from '@loyalty/auth';
import type { AccountDraft } from './account-draft';
import { lotExpiryFrom } from './crediting';
import { LedgerError, LedgerErrorCode } from './ledger-error';
import { inState } from './lots';
import type { AdjustmentCaps, LedgerPolicy } from './program-rules';
import { settleClawback } from './reversal';

export interface AdjustmentRequest {
  /** Signed: positive for goodwill, negative for a correction. */
  readonly points: number;
  readonly reason: string;
  readonly role: Role;
  readonly staffId: string;
  readonly complaintId?: string;
  readonly sourceEventId?: string;
}

/**
 * Refuses an adjustment (or a transfer) larger than the role's cap; a cap of 0 means the role may not
 * adjust at all.
 */
export function assertWithinCap(
  request: Pick<AdjustmentRequest, 'points' | 'role'>,
  caps: AdjustmentCaps,
): void {
  const cap = caps[request.role] ?? 0;
  if (Math.abs(request.points) > cap) {
    throw new LedgerError(
      LedgerErrorCode.ADJUSTMENT_OVER_CAP,
      `${request.role} may adjust at most ${cap} points, asked ${request.points}`,
      {
        role: request.role,
        cap,
        requested: request.points,
      },
    );
  }
}

/**
 * Refuses a staff member's adjustment or transfer that would take what they adjusted and transferred by
 * hand in the last 24 hours (`usedInLastDay`, points of either sign) past their role's daily limit.
 */
export function assertWithinDailyLimit(
  request: Pick<AdjustmentRequest, 'points' | 'role'>,
  usedInLastDay: number,
  limits: AdjustmentCaps,
): void {
  const limit = limits[request.role] ?? 0;
  const remaining = Math.max(0, limit - usedInLastDay);
  if (Math.abs(request.points) > remaining) {
    throw new LedgerError(
      LedgerErrorCode.DAILY_ADJUSTMENT_LIMIT,
      `${request.role} may adjust and transfer at most ${limit} points in 24 hours; ${usedInLastDay} used, ${remaining} left, asked ${request.points}`,
      { role: request.role, limit, usedInLast24Hours: usedInLastDay, remaining, requested: request.points },
    );
  }
}

/**
 * A staff adjustment. Allowed on suspended accounts: suspension stops the guest, not staff corrections.
 * Credits are available at once (no lock period: nothing can correct them but another adjustment) and pay
 * clawback first; debits come out of available points only and are refused if they do not fit. A credit
 * (goodwill, compensation) counts as activity, or inactivity expiry would take it at its next run when the
 * member had been inactive long enough; a debit does not.
 */
export function adjustPoints(
  draft: AccountDraft,
  request: AdjustmentRequest,
  caps: AdjustmentCaps,
  policy: LedgerPolicy,
): void {
  draft.assertNotClosed();
  if (!Number.isSafeInteger(request.points) || request.points === 0) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_ARGUMENT,
      `adjustment must be a non-zero integer, got ${request.points}`,
    );
  }
  if (request.reason.trim() === '') {
    throw new LedgerError(LedgerErrorCode.INVALID_ARGUMENT, 'an adjustment needs a reason');
  }
  assertWithinCap(request, caps);
  const cause = {
    kind: 'staff-adjustment' as const,
    reason: request.reason,
    role: request.role,
    staffId: request.staffId,
    ...(request.complaintId ? { complaintId: request.complaintId } : {}),
    ...(request.sourceEventId ? { sourceEventId: request.sourceEventId } : {}),
  };
  const event = {
    type: 'points-adjusted' as const,
    points: request.points,
    role: request.role,
    staffId: request.staffId,
    reason: request.reason,
  };
  if (request.points > 0) {
    const entry = draft.appendEntry({ type: 'adjust', points: request.points, cause });
    draft.addLot({
      sourceEntryId: entry.id,
      points: request.points,
      state: 'available',
      creditedAt: draft.now,
      availableAt: draft.now,
      expiresAt: lotExpiryFrom(policy, draft.now),
    });
    draft.lastActivityAt = draft.now;
    draft.emit({ ...event, entryId: entry.id });
    settleClawback(draft, request.sourceEventId);
    return;
  }
  draft.promoteMaturedLots();
  draft.requireAvailable(-request.points);
  const entryId = draft.peekEntryId();
  draft.take(
    -request.points,
    (lot) => lot.state === 'available',
    (portion) => inState(portion, 'consumed', { closedByEntryId: entryId }),
  );
  draft.appendEntry({ type: 'adjust', points: request.points, cause });
  draft.emit({ ...event, entryId });
}
