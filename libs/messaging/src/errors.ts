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
