import type { AccountStatus } from './account-snapshot';

/** Every way a ledger rule can refuse a request. Mapped to HTTP statuses or dead-letter reasons at the edge. */
export enum LedgerErrorCode {
  /** Fewer available points than asked for; `details.shortfall` says how many are missing. */
  INSUFFICIENT_POINTS = 'INSUFFICIENT_POINTS',
  ACCOUNT_SUSPENDED = 'ACCOUNT_SUSPENDED',
  ACCOUNT_CLOSED = 'ACCOUNT_CLOSED',
  /** Closing needs a zero balance and no open holds. */
  ACCOUNT_NOT_EMPTY = 'ACCOUNT_NOT_EMPTY',
  /**
   * Closing needs no stay adjustment parked to apply to the account (`details.parkedAdjustments`): a closed
   * account never applies them, so what they would credit would be lost with it.
   */
  ADJUSTMENTS_PARKED = 'ADJUSTMENTS_PARKED',
  /**
   * No such stay adjustment is parked to discard, nor was one discarded (`details.applied`: it was applied,
   * perhaps by the transaction the discard waited for).
   */
  PARKED_ADJUSTMENT_NOT_FOUND = 'PARKED_ADJUSTMENT_NOT_FOUND',
  DISCARDED_ADJUSTMENT_NOT_FOUND = 'DISCARDED_ADJUSTMENT_NOT_FOUND',
  /** The role may not adjust this many points at once (`details.cap`; a cap of 0 means never). */
  ADJUSTMENT_OVER_CAP = 'ADJUSTMENT_OVER_CAP',
  /**
   * The staff member's adjustments and transfers of the last 24 hours and this one together pass their
   * role's daily limit (`details.limit`, `details.usedInLast24Hours`, `details.remaining`).
   */
  DAILY_ADJUSTMENT_LIMIT = 'DAILY_ADJUSTMENT_LIMIT',
  HOLD_NOT_FOUND = 'HOLD_NOT_FOUND',
  /** The hold's TTL has passed; it can only be released (by `expireHolds`). */
  HOLD_EXPIRED = 'HOLD_EXPIRED',
  /** The hold was already confirmed, released or expired. */
  HOLD_NOT_OPEN = 'HOLD_NOT_OPEN',
  DUPLICATE_HOLD = 'DUPLICATE_HOLD',
  /** A reversal for a stay this account never credited. */
  STAY_NOT_CREDITED = 'STAY_NOT_CREDITED',
  SELF_TRANSFER = 'SELF_TRANSFER',
  /** The accounts cannot be merged as they are (same account, clashing hold ids). */
  MERGE_CONFLICT = 'MERGE_CONFLICT',
  /** A points amount that is not a positive safe integer, an empty reason, a malformed date. */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  UNKNOWN_PROPERTY = 'UNKNOWN_PROPERTY',
  UNKNOWN_BRAND = 'UNKNOWN_BRAND',
  UNKNOWN_TIER = 'UNKNOWN_TIER',
  UNKNOWN_CURRENCY = 'UNKNOWN_CURRENCY',
  MISSING_EXCHANGE_RATE = 'MISSING_EXCHANGE_RATE',
  /** Revenue is not in the currency the property is configured with. */
  CURRENCY_MISMATCH = 'CURRENCY_MISMATCH',
  /** An `Idempotency-Key` sent again with another request than the one it was first used for. */
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
}

export type LedgerErrorDetails = Readonly<Record<string, string | number | boolean>>;

export class LedgerError extends Error {
  override readonly name = 'LedgerError';

  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    readonly details: LedgerErrorDetails = {},
  ) {
    super(message);
  }

  /** Points missing for an INSUFFICIENT_POINTS refusal; 0 for other codes. */
  get shortfall(): number {
    const value = this.details['shortfall'];
    return typeof value === 'number' ? value : 0;
  }
}

export function isLedgerError(error: unknown, code?: LedgerErrorCode): error is LedgerError {
  return error instanceof LedgerError && (code === undefined || error.code === code);
}

/** Fewer points available than requested, and how many are missing. */
export function insufficientPoints(requested: number, available: number): LedgerError {
  return new LedgerError(
    LedgerErrorCode.INSUFFICIENT_POINTS,
    `${requested} points requested, ${available} available`,
    { requested, available, shortfall: requested - available },
  );
}

/**
 * A close refused while stay adjustments wait to apply to the account: how many, and what applies them. A
 * suspended account's wait for its reactivation; an active account's (parked while their stay was being
 * credited) for the `apply-parked-adjustments` job.
 */
export function adjustmentsParked(
  accountId: string,
  status: AccountStatus,
  parkedAdjustments: number,
): LedgerError {
  const one = parkedAdjustments === 1;
  const adjustments = one ? '1 stay adjustment' : `${parkedAdjustments} stay adjustments`;
  const them = one ? 'it' : 'them';
  const applyThem =
    status === 'suspended'
      ? `reactivate the account to apply ${them}`
      : `wait for the apply-parked-adjustments job to apply ${them} (one it cannot apply stays parked, and its ` +
        'warning "parked adjustments of stay … not applied" says why)';
  return new LedgerError(
    LedgerErrorCode.ADJUSTMENTS_PARKED,
    `account ${accountId} has ${adjustments} parked, which a closed account would never apply: ${applyThem}, ` +
      'then bring its balance to zero (a staff adjustment, or a redemption) before closing it; a chain ' +
      `admin can discard one that must never apply (GET /operations/parked-adjustments?guestId=${accountId} ` +
      'lists them)',
    { parkedAdjustments },
  );
}

/** A discard of a stay adjustment that is not parked, and whether it was applied instead. */
export function parkedAdjustmentNotFound(
  stayKey: string,
  adjustmentKey: string,
  applied: boolean,
): LedgerError {
  return new LedgerError(
    LedgerErrorCode.PARKED_ADJUSTMENT_NOT_FOUND,
    `no adjustment ${adjustmentKey} is parked for stay ${stayKey}` +
      (applied ? ': it was applied' : ', nor was one discarded'),
    { stayKey, adjustmentKey, applied },
  );
}

export function discardedAdjustmentNotFound(stayKey: string, adjustmentKey: string): LedgerError {
  return new LedgerError(
    LedgerErrorCode.DISCARDED_ADJUSTMENT_NOT_FOUND,
    `no adjustment ${adjustmentKey} of stay ${stayKey} was discarded`,
    { stayKey, adjustmentKey },
  );
}

export function holdNotFound(holdId: string): LedgerError {
  return new LedgerError(LedgerErrorCode.HOLD_NOT_FOUND, `no hold ${holdId}`, { holdId });
}

/** Points amounts are positive safe integers; anything else is a caller bug, not a business refusal. */
export function assertPositivePoints(points: number, what = 'points'): void {
  if (!Number.isSafeInteger(points) || points <= 0) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_ARGUMENT,
      `${what} must be a positive integer, got ${points}`,
    );
  }
}
