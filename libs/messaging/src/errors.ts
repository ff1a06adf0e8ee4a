/**
 * A handler throws this when retrying cannot help (a business rule the event breaks, a reference
 * that will never exist): the event goes to the dead-letter topic at once, with this code as reason.
 */
export class PermanentEventError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentEventError';
  }
}

/** Thrown inside the consumer when it is asked to stop while an event is still being retried. */
export class ConsumerStoppingError extends Error {
  constructor() {
    super('consumer is stopping; the event will be redelivered');
    this.name = 'ConsumerStoppingError';
  }
}

/**
 * A send that never left: its caller stopped waiting before its turn came (it was taken out of the
 * queue), or so much already waited that it was refused. None of its messages reaches Kafka.
 */
export class SendNotStarted extends Error {
  constructor(readonly reason: unknown) {
    super(`not sent: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'SendNotStarted';
  }
}

/** A send that left but was not acknowledged when its caller stopped waiting: its messages may still land. */
export class SendUnconfirmed extends Error {
  constructor(readonly reason: unknown) {
    super(`sent, not acknowledged: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'SendUnconfirmed';
  }
}
