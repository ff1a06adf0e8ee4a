import type { ContractViolationCode } from './validation/contract-violation';

/** Why the consumer gave up on a valid event, where no contract and no handler's own code says it. */
export const HANDLING_FAILURES = {
  /** The handler failed on each of its attempts. */
  handlerFailed: 'HANDLER_FAILED',
  /** The service reads the topic but handles no event of this type. */
  noHandler: 'NO_HANDLER',
  /** The handler built an event that breaks that event's contract: the service's bug. */
  outgoingEventInvalid: 'OUTGOING_EVENT_INVALID',
} as const;

/**
 * Why a message was dead-lettered: a contract violation, a handling failure, or the code of a permanent
 * error a handler raised (e.g. `ACCOUNT_CLOSED`).
 */
export type DeadLetterReason =
  ContractViolationCode | (typeof HANDLING_FAILURES)[keyof typeof HANDLING_FAILURES] | (string & {});

/** Headers a dead letter carries on top of the original message's headers; key and value are unchanged. */
export const DEAD_LETTER_HEADERS = {
  reason: 'dlq-reason',
  detail: 'dlq-detail',
  errorClass: 'dlq-error-class',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  consumerGroup: 'dlq-consumer-group',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
  /**
   * Set on a letter whose value the broker refused as too large even compressed: the letter keeps the
   * key and headers, and the value stays readable at its source offset for the topic's retention.
   */
  valueOmitted: 'dlq-value-omitted',
} as const;

export interface DeadLetterInfo {
  reason: DeadLetterReason;
  /** Human-readable detail, e.g. the `ContractViolation` message; cut to 1000 characters. */
  detail: string;
  /** Class of the error that stopped processing, e.g. `ContractViolation`, `QueryFailedError`. */
  errorClass: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  consumerGroup: string;
  attempts: number;
  failedAt: Date;
}

const MAX_DETAIL = 1000;

export function deadLetterHeaders(info: DeadLetterInfo): Record<string, string> {
  return {
    [DEAD_LETTER_HEADERS.reason]: info.reason,
    [DEAD_LETTER_HEADERS.detail]:
      info.detail.length > MAX_DETAIL ? `${info.detail.slice(0, MAX_DETAIL - 1)}…` : info.detail,
    [DEAD_LETTER_HEADERS.errorClass]: info.errorClass,
    [DEAD_LETTER_HEADERS.sourceTopic]: info.sourceTopic,
    [DEAD_LETTER_HEADERS.sourcePartition]: String(info.sourcePartition),
    [DEAD_LETTER_HEADERS.sourceOffset]: info.sourceOffset,
    [DEAD_LETTER_HEADERS.consumerGroup]: info.consumerGroup,
    [DEAD_LETTER_HEADERS.attempts]: String(info.attempts),
    [DEAD_LETTER_HEADERS.failedAt]: info.failedAt.toISOString(),
  };
}
