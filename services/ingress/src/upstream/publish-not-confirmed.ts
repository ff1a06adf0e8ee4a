import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';

/** Kafka did not acknowledge a request's events in time, or refused them; nothing of it was recorded. */
export class PublishNotConfirmed extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    options: { cause: unknown },
  ) {
    super('Kafka did not confirm the events', options);
    this.name = 'PublishNotConfirmed';
  }
}

/**
 * A 503 with Retry-After: the sender keeps its events and sends the same ones again. Events of such a
 * request may still reach Kafka later; consumers apply each event id and reservation once, so the
 * re-send is safe.
 */
@Catch(PublishNotConfirmed)
export class PublishNotConfirmedFilter implements ExceptionFilter {
  catch(exception: PublishNotConfirmed, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<{
        status(code: number): { header(name: string, value: string): { json(body: unknown): void } };
      }>()
      .status(503)
      .header('Retry-After', String(exception.retryAfterSeconds))
      .json({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'PUBLISH_NOT_CONFIRMED',
        message: `Kafka did not confirm these events; none was recorded: send the same events again after ${exception.retryAfterSeconds} s`,
      });
  }
}
