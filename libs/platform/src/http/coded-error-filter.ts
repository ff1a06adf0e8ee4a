import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter, type Type } from '@nestjs/common';

/** A domain refusal: a stable code for clients, a message for people, and details such as a shortfall. */
export interface CodedError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * The HTTP edge of a service's domain errors: each code maps to a status (unmapped codes are 422) and
 * the body is `{ code, message, ...details }`, so clients act on the code and the details.
 */
export function codedErrorFilter<E extends CodedError>(
  errorClass: abstract new (...args: never[]) => E,
  statusOf: Partial<Record<E['code'], HttpStatus>>,
): Type<ExceptionFilter> {
  @Catch(errorClass)
  class CodedErrorFilter implements ExceptionFilter {
    catch(error: E, host: ArgumentsHost): void {
      const status = statusOf[error.code as E['code']] ?? HttpStatus.UNPROCESSABLE_ENTITY;
      host
        .switchToHttp()
        .getResponse<{ status(code: number): { json(body: unknown): void } }>()
        .status(status)
        .json({ code: error.code, message: error.message, ...error.details });
    }
  }
  return CodedErrorFilter;
}
