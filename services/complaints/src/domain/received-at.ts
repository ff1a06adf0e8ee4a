import { ComplaintError, ComplaintErrorCode } from './complaint-error';

/**
 * How long after the guest raised a complaint staff may still log it with the time it was raised. A
 * letter or a call noted on paper reaches the system days later; beyond a month the SLA it would run
 * under (a week at most) says nothing any more, and a mistyped year would breach it at once.
 */
export const RECEIVED_WITHIN_DAYS = 30;

/** How far ahead of ours a front-desk device's clock may run: its `receivedAt` is then taken as now. */
export const CLOCK_AHEAD_ALLOWANCE_MS = 2 * 60_000;

/**
 * When a complaint was received, and so when its SLA clock starts: `stated` (a complaint logged after the
 * guest raised it), else `now`. A time past `now` within the allowance is now.
 *
 * @throws ComplaintError INVALID_ARGUMENT when `stated` is later than the allowance, or more than
 * RECEIVED_WITHIN_DAYS ago.
 */
export function vetReceivedAt(stated: Date | undefined, now: Date): Date {
  if (stated === undefined) return now;
  const ahead = stated.getTime() - now.getTime();
  if (ahead > CLOCK_AHEAD_ALLOWANCE_MS) {
    throw new ComplaintError(
      ComplaintErrorCode.INVALID_ARGUMENT,
      `receivedAt ${stated.toISOString()} is in the future (it is ${now.toISOString()}): a complaint is logged once it is received`,
      { field: 'receivedAt' },
    );
  }
  if (-ahead > RECEIVED_WITHIN_DAYS * 24 * 3_600_000) {
    throw new ComplaintError(
      ComplaintErrorCode.INVALID_ARGUMENT,
      `receivedAt ${stated.toISOString()} is more than ${RECEIVED_WITHIN_DAYS} days ago: log it as received now, and say when the guest raised it in the description`,
      { field: 'receivedAt' },
    );
  }
  return ahead > 0 ? now : stated;
}
