import { deadLetterHeaders, deadLetterTopicName, type DeadLetterReason } from '@loyalty/contracts';
import type { IncomingMessage, OutgoingMessage } from '../kafka/broker-client';

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
      ...message.headers,
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
