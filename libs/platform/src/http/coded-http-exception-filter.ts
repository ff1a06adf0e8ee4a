import { STATUS_CODES } from 'node:http';
import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';

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

/** Sends every HTTP refusal with a `code` (see {@link withCode}); registered for HTTP only. */
@Catch(HttpException)
export class CodedHttpExceptionFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const status = exception.getStatus();
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>()
      .status(status)
      .json(withCode(status, exception.getResponse()));
  }
}
