/** What the token verifier needs; `AuthModule` builds it from `BaseServiceConfig`. */
export interface AuthOptions {
  /** HS256 secret; used only when `jwksUrl` is not set. */
  jwtSecret: string;
  /** When set, tokens must be RS256 and signed by a key published here. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** Seconds of clock skew accepted on exp/nbf; 5 by default. */
  clockToleranceSeconds?: number;
}

export const AUTH_OPTIONS = Symbol('loyalty:auth-options');
