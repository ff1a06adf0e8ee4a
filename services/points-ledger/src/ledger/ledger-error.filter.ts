import { HttpStatus } from '@nestjs/common';
import { codedErrorFilter } from '@loyalty/platform';
import { LedgerError, LedgerErrorCode } from '../domain';

const STATUS: Partial<Record<LedgerErrorCode, HttpStatus>> = {
  [LedgerErrorCode.INSUFFICIENT_POINTS]: HttpStatus.CONFLICT,
  [LedgerErrorCode.ACCOUNT_SUSPENDED]: HttpStatus.CONFLICT,
  [LedgerErrorCode.ACCOUNT_CLOSED]: HttpStatus.CONFLICT,
  [LedgerErrorCode.ACCOUNT_NOT_EMPTY]: HttpStatus.CONFLICT,
  [LedgerErrorCode.ADJUSTMENTS_PARKED]: HttpStatus.CONFLICT,
  [LedgerErrorCode.HOLD_EXPIRED]: HttpStatus.CONFLICT,
  [LedgerErrorCode.HOLD_NOT_OPEN]: HttpStatus.CONFLICT,
  [LedgerErrorCode.DUPLICATE_HOLD]: HttpStatus.CONFLICT,
  [LedgerErrorCode.HOLD_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [LedgerErrorCode.PARKED_ADJUSTMENT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [LedgerErrorCode.DISCARDED_ADJUSTMENT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [LedgerErrorCode.ADJUSTMENT_OVER_CAP]: HttpStatus.FORBIDDEN,
  [LedgerErrorCode.DAILY_ADJUSTMENT_LIMIT]: HttpStatus.FORBIDDEN,
  [LedgerErrorCode.INVALID_ARGUMENT]: HttpStatus.BAD_REQUEST,
  [LedgerErrorCode.SELF_TRANSFER]: HttpStatus.BAD_REQUEST,
  [LedgerErrorCode.IDEMPOTENCY_KEY_REUSED]: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** A ledger rule's refusal, as JSON with its code and details (e.g. `shortfall`) at the HTTP edge. */
export const LedgerErrorFilter = codedErrorFilter(LedgerError, STATUS);
