export enum ComplaintErrorCode {
  COMPLAINT_NOT_FOUND = 'COMPLAINT_NOT_FOUND',
  ILLEGAL_TRANSITION = 'ILLEGAL_TRANSITION',
  HAS_DUPLICATES = 'HAS_DUPLICATES',
  REOPEN_WINDOW_PASSED = 'REOPEN_WINDOW_PASSED',
  ESCALATION_AT_TOP = 'ESCALATION_AT_TOP',
  ESCALATION_LEVEL_CHANGED = 'ESCALATION_LEVEL_CHANGED',
  COMPENSATION_NOT_FOUND = 'COMPENSATION_NOT_FOUND',
  COMPENSATION_NOT_PENDING = 'COMPENSATION_NOT_PENDING',
  APPROVAL_LIMIT_EXCEEDED = 'APPROVAL_LIMIT_EXCEEDED',
  DAILY_APPROVAL_LIMIT = 'DAILY_APPROVAL_LIMIT',
  INVALID_CALENDAR = 'INVALID_CALENDAR',
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  GUEST_ERASED = 'GUEST_ERASED',
}

/** A complaint rule's refusal, with a code and details the HTTP edge returns as they are. */
export class ComplaintError extends Error {
  constructor(
    readonly code: ComplaintErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ComplaintError';
  }
}
