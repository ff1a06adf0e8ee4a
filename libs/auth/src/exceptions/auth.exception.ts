import { STATUS_CODES } from 'node:http';
import { HttpException, HttpStatus } from '@nestjs/common';

/** Every way authentication or authorisation can fail, with the HTTP status it maps to. */
export const AUTH_ERROR_STATUS = {
  TOKEN_MISSING: HttpStatus.UNAUTHORIZED,
  TOKEN_EXPIRED: HttpStatus.UNAUTHORIZED,
  TOKEN_INVALID: HttpStatus.UNAUTHORIZED,
  ROLE_REQUIRED: HttpStatus.FORBIDDEN,
  PROPERTY_OUT_OF_SCOPE: HttpStatus.FORBIDDEN,
  /** The JWKS endpoint could not be reached, so no token can be checked: not the caller's fault. */
  AUTH_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
} as const;

export type AuthErrorCode = keyof typeof AUTH_ERROR_STATUS;

/** The JSON body of an auth failure: a machine code and a human reason. */
export interface AuthErrorBody {
  statusCode: number;
  error: string;
  code: AuthErrorCode;
  message: string;
}

/**
 * An authentication (401) or authorisation (403) failure. Nest's exception filter sends its body as is:
 * `{ statusCode, error, code, message }`.
 */
export class AuthException extends HttpException {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    const statusCode = AUTH_ERROR_STATUS[code];
    const body: AuthErrorBody = { statusCode, error: STATUS_CODES[statusCode] as string, code, message };
    super(body, statusCode);
  }
}
