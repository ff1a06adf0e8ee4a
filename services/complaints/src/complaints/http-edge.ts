import { HttpStatus } from '@nestjs/common';
import type { Principal } from '@loyalty/auth';
import { codedErrorFilter, requestKey, type RequestKey } from '@loyalty/platform';
import { ComplaintError, ComplaintErrorCode } from '../domain';
import type { Actor } from './complaint-record';

const STATUS: Record<ComplaintErrorCode, HttpStatus> = {
  [ComplaintErrorCode.COMPLAINT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ComplaintErrorCode.COMPENSATION_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ComplaintErrorCode.ILLEGAL_TRANSITION]: HttpStatus.CONFLICT,
  [ComplaintErrorCode.HAS_DUPLICATES]: HttpStatus.CONFLICT,
  [ComplaintErrorCode.REOPEN_WINDOW_PASSED]: HttpStatus.CONFLICT,
  [ComplaintErrorCode.ESCALATION_AT_TOP]: HttpStatus.CONFLICT,
  [ComplaintErrorCode.ESCALATION_LEVEL_CHANGED]: HttpStatus.CONFLICT,
  [ComplaintErrorCode.COMPENSATION_NOT_PENDING]: HttpStatus.CONFLICT,
  [ComplaintErrorCode.APPROVAL_LIMIT_EXCEEDED]: HttpStatus.FORBIDDEN,
  [ComplaintErrorCode.DAILY_APPROVAL_LIMIT]: HttpStatus.FORBIDDEN,
  [ComplaintErrorCode.DISCOUNT_PAST_WHOLE_STAY]: HttpStatus.CONFLICT,
  [ComplaintErrorCode.INVALID_CALENDAR]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ComplaintErrorCode.INVALID_ARGUMENT]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ComplaintErrorCode.IDEMPOTENCY_KEY_REUSED]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ComplaintErrorCode.GUEST_ERASED]: HttpStatus.CONFLICT,
};

/** A complaint rule's refusal as JSON: its code, a message, and details such as the allowed actions. */
export const ComplaintErrorFilter = codedErrorFilter(ComplaintError, STATUS);

export function actorOf(principal: Principal): Actor {
  return { id: principal.sub, roles: [...principal.roles] };
}

/**
 * An `Idempotency-Key` header as the store keeps it, with the fingerprint of the request (`route` and its
 * validated body): at most 200 characters, and an empty one is no key, or every request sent with an empty
 * header would be answered with the first one's result.
 */
export function requestKeyOf(
  header: string | undefined,
  route: string,
  body: object,
): RequestKey | undefined {
  return header ? requestKey(header.slice(0, 200), route, body) : undefined;
}

/** The refusal of an `Idempotency-Key` sent again with another request (see `assertSameRequest`). */
export const keyReused = (message: string): ComplaintError =>
  new ComplaintError(ComplaintErrorCode.IDEMPOTENCY_KEY_REUSED, message);
