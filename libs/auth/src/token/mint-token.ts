import jwt from 'jsonwebtoken';
import type { TokenClaims } from '../principal';
import { principalFromPayload } from './claims';

export const TOKEN_MINT_INVALID = 'TOKEN_MINT_INVALID';

/** Thrown by {@link mintToken} when the claims or the time-to-live are not valid. */
export class TokenMintError extends Error {
  readonly code = TOKEN_MINT_INVALID;

  constructor(message: string) {
    super(message);
    this.name = 'TokenMintError';
  }
}

const TTL_PATTERN = /^(\d+)\s*(s|m|h|d)?$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
// A token cannot be revoked before it expires: one that outlives a month outlives the reason it was minted.
const MAX_TTL_SECONDS = 30 * 86400;

/** Seconds in a time-to-live given as seconds or as `90s`, `15m`, `8h`, `7d`. */
export function parseTtl(ttl: string | number): number {
  const match = typeof ttl === 'number' ? null : TTL_PATTERN.exec(ttl.trim());
  const seconds =
    typeof ttl === 'number' ? ttl : match ? Number(match[1]) * UNIT_SECONDS[match[2] ?? 's'] : NaN;
  if (!Number.isInteger(seconds) || seconds <= 0 || seconds > MAX_TTL_SECONDS) {
    throw new TokenMintError(
      `ttl must be a positive number of seconds or like 15m, 8h, 7d, at most 30d (got "${ttl}")`,
    );
  }
  return seconds;
}

export interface MintTokenOptions {
  issuer?: string;
  audience?: string;
}

/**
 * Signs an HS256 token carrying `claims`, valid for `ttl`. For local development, tests and tools;
 * production tokens come from the identity provider.
 *
 * @throws TokenMintError when the claims would be rejected by the verifier or the ttl is invalid.
 */
export function mintToken(
  claims: TokenClaims,
  secret: string,
  ttl: string | number,
  options: MintTokenOptions = {},
): string {
  try {
    principalFromPayload(claims);
  } catch (error) {
    throw new TokenMintError(error instanceof Error ? error.message : String(error));
  }
  return jwt.sign({ ...claims }, secret, {
    algorithm: 'HS256',
    expiresIn: parseTtl(ttl),
    ...(options.issuer !== undefined && { issuer: options.issuer }),
    ...(options.audience !== undefined && { audience: options.audience }),
  });
}
