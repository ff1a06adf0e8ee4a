import { ArgumentsHost, Catch, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import { LedgerError, LedgerErrorCode } from '../domain';

const STATUS: Partial<Record<LedgerErrorCode, HttpStatus>> = {
  [LedgerErrorCode.INSUFFICIENT_POINTS]: HttpStatus.CONFLICT,
  [LedgerErrorCode.ACCOUNT_SUSPENDED]: HttpStatus.CONFLICT,
  [LedgerErrorCode.ACCOUNT_CLOSED]: HttpStatus.CONFLICT,
  [LedgerErrorCode.ACCOUNT_NOT_EMPTY]: HttpStatus.CONFLICT,
  [LedgerErrorCode.HOLD_EXPIRED]: HttpStatus.CONFLICT,
  [LedgerErrorCode.HOLD_NOT_OPEN]: HttpStatus.CONFLICT,
  [LedgerErrorCode.DUPLICATE_HOLD]: HttpStatus.CONFLICT,
  [LedgerErrorCode.HOLD_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [LedgerErrorCode.ADJUSTMENT_OVER_CAP]: HttpStatus.FORBIDDEN,
  [LedgerErrorCode.INVALID_ARGUMENT]: HttpStatus.BAD_REQUEST,
  [LedgerErrorCode.SELF_TRANSFER]: HttpStatus.BAD_REQUEST,
};

/** A ledger rule's refusal, as JSON with its code and details (e.g. `shortfall`) at the HTTP edge. */
@Catch(LedgerError)
export class LedgerErrorFilter implements ExceptionFilter {
  catch(error: LedgerError, host: ArgumentsHost): void {
    const status = STATUS[error.code] ?? HttpStatus.UNPROCESSABLE_ENTITY;
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>()
      .status(status)
      .json({ code: error.code, message: error.message, ...error.details });
  }
}
