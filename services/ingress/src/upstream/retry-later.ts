import { STATUS_CODES } from 'node:http';
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';

/**
 * The sender keeps its events and sends the same request again after `retryAfterSeconds`: nothing
 * of this one was recorded, or (`PUBLISH_NOT_CONFIRMED` after its send started) only as unconfirmed,
 * which the same content sent again confirms.
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

/** The request's events waited for their turn to be sent until its time was up: none was sent or recorded. */
export const publishNotStarted = (retryAfterSeconds: number, cause: unknown) =>
  new RetryLater(
    503,
    'PUBLISH_NOT_CONFIRMED',
    `Kafka did not confirm these events; none was sent or recorded: send the same events again after ${retryAfterSeconds} s`,
    retryAfterSeconds,
    { cause },
  );

/**
 * The request's events were sent but Kafka did not acknowledge them in time, or refused them: they may
 * still land, so their ids are kept, as unconfirmed, with their content. The same content sent again is
 * published again and accepted (consumers apply each event id once, so a second copy on Kafka is
 * harmless); other content under those ids is refused, as it would be once the first copy lands.
 */
export const publishUnconfirmed = (retryAfterSeconds: number, cause: unknown) =>
  new RetryLater(
    503,
    'PUBLISH_NOT_CONFIRMED',
    `Kafka did not confirm these events in time and they may still reach it; they are kept as unconfirmed: send the same events, unchanged, again after ${retryAfterSeconds} s`,
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

/**
 * Every database connection this instance may give to ingestion was taken, for longer than a request
 * waits for one: Kafka acknowledging slowly keeps each request's transaction open.
 */
export const busy = (retryAfterSeconds: number, cause: unknown) =>
  new RetryLater(
    503,
    'INGRESS_BUSY',
    `too many requests are waiting for Kafka or the database; none of this request was recorded: send the same events again after ${retryAfterSeconds} s`,
    retryAfterSeconds,
    { cause },
  );

/** The database could not be reached, or dropped the connection; the transaction did not commit. */
export const databaseUnavailable = (retryAfterSeconds: number, cause: unknown) =>
  new RetryLater(
    503,
    'DATABASE_UNAVAILABLE',
    `the database did not answer; none of this request was recorded: send the same events again after ${retryAfterSeconds} s`,
    retryAfterSeconds,
    { cause },
  );

/**
 * Redis, which counts every system's budget across the instances, did not answer. Refused rather than
 * let through uncounted: every instance would let a system send its whole budget, many times over.
 */
export const rateLimiterUnavailable = (retryAfterSeconds: number, cause: unknown) =>
  new RetryLater(
    503,
    'RATE_LIMITER_UNAVAILABLE',
    `the rate limiter could not be reached; none of this request was recorded: send the same events again after ${retryAfterSeconds} s`,
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

/**
 * A client address sent more requests without a valid key this minute than it may; until the minute is
 * over, its requests are refused whatever their key.
 */
export const authFailuresLimited = (retryAfterSeconds: number) =>
  new RetryLater(
    429,
    'AUTH_FAILURES_LIMITED',
    `too many requests without a valid X-Api-Key came from this address; retry after ${retryAfterSeconds} s`,
    retryAfterSeconds,
  );

export interface RetryLaterResponse {
  status(code: number): { header(name: string, value: string): { json(body: unknown): void } };
}

/** Answers with the status, a `Retry-After` header and the platform's error body. */
export function answerRetryLater(response: RetryLaterResponse, exception: RetryLater): void {
  response.status(exception.status).header('Retry-After', String(exception.retryAfterSeconds)).json({
    statusCode: exception.status,
    error: STATUS_CODES[exception.status],
    code: exception.code,
    message: exception.message,
  });
}

@Catch(RetryLater)
export class RetryLaterFilter implements ExceptionFilter {
  catch(exception: RetryLater, host: ArgumentsHost): void {
    answerRetryLater(host.switchToHttp().getResponse<RetryLaterResponse>(), exception);
  }
}
