import { STATUS_CODES } from 'node:http';
import { Catch, HttpException, type ArgumentsHost, type HttpServer } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/** A refusal's body: what each service answers, and what Nest's own refusals are given. */
export interface RefusalBody {
  readonly code: string;
  readonly message: string;
}

/**
 * Gives Nest's own refusals the shape of the platform's, `{ code, message }`: a malformed id in a path
 * (`ParseUUIDPipe`), an unknown route, a wrong method. A body that already has a `code` (validation, a
 * service's domain errors, auth) is sent as it is.
 */
export function withCode(status: number, body: string | object): object {
  if (typeof body === 'object' && body !== null && 'code' in body) return body;
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  const refusal: RefusalBody = {
    code: (STATUS_CODES[status] ?? 'Error').toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
    message: Array.isArray(message) ? message.join('; ') : String(message ?? STATUS_CODES[status] ?? status),
  };
  return refusal;
}

/** What body-parser (through http-errors) raises for a body it refuses before any route runs. */
interface ClientHttpError extends Error {
  readonly statusCode: number;
  readonly expose: true;
  readonly type?: unknown;
  readonly limit?: unknown;
  readonly length?: unknown;
}

function isClientHttpError(error: unknown): error is ClientHttpError {
  if (!(error instanceof Error)) return false;
  const { statusCode, expose } = error as Partial<ClientHttpError>;
  // `expose` is what http-errors sets when its message is meant for the client (never on a 5xx).
  return expose === true && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500;
}

function messageOf(error: ClientHttpError): string {
  if (error.type !== 'entity.too.large' || typeof error.limit !== 'number') return error.message;
  const size = typeof error.length === 'number' ? ` of ${error.length} bytes` : '';
  return `the request body${size} is over the limit of ${error.limit} bytes`;
}

/**
 * Sends every HTTP refusal with a `code` (see {@link withCode}): Nest's exceptions, and the errors
 * body-parser raises before any route runs (a body over the limit, an unsupported encoding). Anything
 * else goes to Nest's built-in handling (a 500 that is logged). Registered for HTTP only, with the app's
 * HTTP adapter, which that built-in handling answers through.
 */
@Catch()
export class CodedHttpExceptionFilter extends BaseExceptionFilter {
  constructor(httpAdapter: HttpServer) {
    super(httpAdapter);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    let status: number;
    let body: string | object;
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      body = exception.getResponse();
    } else if (isClientHttpError(exception)) {
      status = exception.statusCode;
      body = messageOf(exception);
    } else {
      super.catch(exception, host);
      return;
    }
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>()
      .status(status)
      .json(withCode(status, body));
  }
}
