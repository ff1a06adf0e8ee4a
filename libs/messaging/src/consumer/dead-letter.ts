import {
  DEAD_LETTER_HEADERS,
  deadLetterHeaders,
  deadLetterTopicName,
  type DeadLetterReason,
} from '@loyalty/contracts';
import type { IncomingMessage, OutgoingMessage } from '../kafka/broker-client';
import { kafkaErrorTypes } from '../kafka/kafka-error-types';
import { writableHeaders } from '../kafka/record-headers';

export interface DeadLetterCause {
  reason: DeadLetterReason;
  error: unknown;
  attempts: number;
  consumerGroup: string;
}

/** The original key, value and headers, unchanged (even bytes that are not JSON), plus why it failed. */
export function deadLetterMessage(
  message: IncomingMessage,
  cause: DeadLetterCause,
  failedAt: Date,
): OutgoingMessage {
  const error = cause.error instanceof Error ? cause.error : new Error(String(cause.error));
  return {
    topic: deadLetterTopicName(message.topic),
    key: message.key,
    value: message.value,
    headers: {
      ...writableHeaders(message.rawHeaders),
      ...deadLetterHeaders({
        reason: cause.reason,
        detail: error.message,
        errorClass: error.name || error.constructor.name,
        sourceTopic: message.topic,
        sourcePartition: message.partition,
        sourceOffset: message.offset,
        consumerGroup: cause.consumerGroup,
        attempts: cause.attempts,
        failedAt,
      }),
    },
  };
}

/**
 * The letter without its value, for when the broker refuses it as too large: a letter that can never be
 * written would hold up its partition for good, and the source offset in its headers still finds the value.
 */
export function withoutValue(letter: OutgoingMessage): OutgoingMessage {
  const bytes = letter.value === null ? 0 : Buffer.byteLength(letter.value);
  return {
    ...letter,
    value: null,
    headers: { ...letter.headers, [DEAD_LETTER_HEADERS.valueOmitted]: `too large (${bytes} bytes)` },
  };
}

/** The broker's answer to a message or request over its size limit, which no retry can change. */
export function isRefusedAsTooLarge(error: unknown): boolean {
  return kafkaErrorTypes(error).some(
    (type) => type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE',
  );
}
