import jwt from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';
import type { AuthOptions } from '../auth-options';
import { AuthException } from '../exceptions/auth.exception';
import type { Principal } from '../principal';
import { principalFromPayload } from './claims';
import { JwksError, JwksKeyResolver } from './jwks-key-resolver';

const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Verifies a bearer token and returns its principal. HS256 with the shared secret, or, when a JWKS URL
 * is configured, RS256 only: each mode accepts exactly one algorithm, so a token cannot pick its own
 * (an RS256 public key must never be usable as an HS256 secret).
 */
export class TokenVerifier {
  private readonly jwks?: JwksKeyResolver;

  constructor(private readonly options: AuthOptions) {
    if (options.jwksUrl !== undefined) this.jwks = new JwksKeyResolver(options.jwksUrl);
  }

  /** @throws AuthException TOKEN_EXPIRED, TOKEN_INVALID or AUTH_UNAVAILABLE. */
  async verify(token: string): Promise<Principal> {
    const key = this.jwks === undefined ? this.options.jwtSecret : await publicKeyFor(this.jwks, token);
    let payload: unknown;
    try {
      payload = jwt.verify(token, key, {
        algorithms: this.jwks === undefined ? ['HS256'] : ['RS256'],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
      });
    } catch (error) {
      throw toAuthException(error);
    }
    // jsonwebtoken checks exp only when the token carries one; a token without it would never expire.
    if (typeof (payload as { exp?: unknown } | null)?.exp !== 'number') {
      throw new AuthException('TOKEN_INVALID', 'the token has no expiry (exp claim)');
    }
    return principalFromPayload(payload);
  }
}

async function publicKeyFor(jwks: JwksKeyResolver, token: string): Promise<KeyObject> {
  const decoded = jwt.decode(token, { complete: true });
  if (decoded === null) throw new AuthException('TOKEN_INVALID', 'the token is not a well-formed JWT');
  try {
    return await jwks.keyFor(decoded.header.kid);
  } catch (error) {
    if (error instanceof JwksError && error.code === 'SIGNING_KEY_NOT_FOUND') {
      throw new AuthException('TOKEN_INVALID', error.message);
    }
    throw new AuthException('AUTH_UNAVAILABLE', 'the signing keys could not be fetched; try again shortly');
  }
}

// jsonwebtoken's messages may name what this service expects ("jwt audience invalid. expected: <aud>"),
// which is not the caller's to learn: the answer gives a fixed reason instead.
const REJECTION_REASONS: readonly [RegExp, string][] = [
  [/^jwt audience invalid/, "the token's audience is not accepted"],
  [/^jwt issuer invalid/, "the token's issuer is not accepted"],
  [/^invalid signature$/, 'the token was rejected: invalid signature'],
  [/^(jwt malformed|invalid token)$/, 'the token is not a well-formed JWT'],
  [/^(invalid algorithm|jwt signature is required)$/, "the token's signing algorithm is not accepted"],
];

function toAuthException(error: unknown): AuthException {
  if (error instanceof jwt.TokenExpiredError) {
    return new AuthException('TOKEN_EXPIRED', `the token expired at ${error.expiredAt.toISOString()}`);
  }
  if (error instanceof jwt.NotBeforeError) {
    return new AuthException('TOKEN_INVALID', `the token is not valid before ${error.date.toISOString()}`);
  }
  const reason = error instanceof jwt.JsonWebTokenError ? rejectionReason(error.message) : undefined;
  return new AuthException('TOKEN_INVALID', reason ?? 'the token could not be verified');
}

function rejectionReason(message: string): string | undefined {
  return REJECTION_REASONS.find(([pattern]) => pattern.test(message))?.[1];
}
