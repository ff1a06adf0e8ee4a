import type { IncomingMessage } from 'node:http';
import type { Role } from './roles';

/** The property scope value that means "every property of the chain". */
export const ALL_PROPERTIES = '*';

/** The claims this platform puts in (and requires of) a JWT, beside the registered ones (exp, iss, aud...). */
export interface TokenClaims {
  /** Who the token was issued to: a staff user id or a service name. */
  sub: string;
  roles: Role[];
  /** Property ids the holder may act on; `['*']` is every property. */
  properties: string[];
  /** Display name, for audit lines. */
  name?: string;
}

/** The authenticated caller of a request, as verified from its token. */
export type Principal = Readonly<TokenClaims>;

/** A request after the guard has authenticated it. */
export interface AuthenticatedRequest extends IncomingMessage {
  principal?: Principal;
}
