/**
 * The Kafka protocol error types (`OUT_OF_ORDER_SEQUENCE_NUMBER`, ...) of a kafkajs error and of the
 * errors it wraps: a retrier hands a protocol error on inside a KafkaJSNonRetriableError, as its cause.
 */
export function kafkaErrorTypes(error: unknown): string[] {
  const types: string[] = [];
  for (let at = error; at instanceof Error; at = (at as { cause?: unknown }).cause) {
    const type = (at as { type?: unknown }).type;
    if (typeof type === 'string') types.push(type);
  }
  return types;
}
