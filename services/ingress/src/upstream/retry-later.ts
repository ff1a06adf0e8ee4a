import { STATUS_CODES } from 'node:http';
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';

/**
 * The sender keeps its events and sends the same request again after `retryAfterSeconds`: nothing
 * of this one was recorded.
 */
export class RetryLater extends Error {
  constructor(
    readonly status: 429 | 503,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'RetryLater';
  }
}

/**
 * Kafka did not acknowledge a request's events in time, or refused them. Events of such a request
 * may still reach Kafka later; consumers apply each event id and reservation once, so the re-send is
 * safe.
 */
export const publishNotConfirmed = (retryAfterSeconds: number, cause: unknown) =>
  new RetryLater(
    503,
    'PUBLISH_NOT_CONFIRMED',
    `Kafka did not confirm these events; none was recorded: send the same events again after ${retryAfterSeconds} s`,
    retryAfterSeconds,
    { cause },
  );

/**
 * Another request was recording some of the same event ids, and the database gave this one up (a
 * deadlock or a serialization failure) and rolled it back.
 */
export const contended = (retryAfterSeconds: number, cause: unknown) =>
  new RetryLater(
    503,
    'CONTENDED',
    `another request was recording some of these events at the same time; none of this request was recorded: send the same events again after ${retryAfterSeconds} s`,
    retryAfterSeconds,
    { cause },
  );

/** The system's budget for this second is spent; the next second's window starts within 1 s. */
export const rateLimited = (system: string, eventsPerSecond: number) =>
  new RetryLater(
    429,
    'RATE_LIMITED',
    `${system} may send ${eventsPerSecond} events per second; retry after 1 s`,
    1,
  );

/** Answers with the status, a `Retry-After` header and the platform's error body. */
@Catch(RetryLater)
export class RetryLaterFilter implements ExceptionFilter {
  catch(exception: RetryLater, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<{
        status(code: number): { header(name: string, value: string): { json(body: unknown): void } };
      }>()
      .status(exception.status)
      .header('Retry-After', String(exception.retryAfterSeconds))
      .json({
        statusCode: exception.status,
        error: STATUS_CODES[exception.status],
        code: exception.code,
        message: exception.message,
      });
  }
}
