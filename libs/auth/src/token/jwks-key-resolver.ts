import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

export type JwksErrorCode = 'SIGNING_KEY_NOT_FOUND' | 'JWKS_UNAVAILABLE';

/** A JWKS lookup failure: the token names an unknown key, or the key set could not be fetched. */
export class JwksError extends Error {
  constructor(
    readonly code: JwksErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'JwksError';
  }
}

export interface JwksKeyResolverOptions {
  /** How long a fetched key set is trusted before it is fetched again; 10 minutes by default. */
  cacheMaxAgeMs?: number;
  /** An unknown key id triggers a refetch at most this often, so made-up ids cannot hammer the IdP. */
  minRefetchIntervalMs?: number;
  timeoutMs?: number;
}

/**
 * The RS256 public keys of a JWKS endpoint, by key id: fetched on first use, cached, and refetched when
 * the cache is old or a token names a key not seen yet (key rotation).
 *
 * Written on node:crypto rather than jwks-rsa: jwks-rsa 4 needs the ESM-only jose 6, which Jest cannot
 * load on Node 20, so every test importing AuthModule would fail.
 */
export class JwksKeyResolver {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private inFlight?: Promise<void>;
  private readonly cacheMaxAgeMs: number;
  private readonly minRefetchIntervalMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly url: string,
    options: JwksKeyResolverOptions = {},
  ) {
    this.cacheMaxAgeMs = options.cacheMaxAgeMs ?? 10 * 60_000;
    this.minRefetchIntervalMs = options.minRefetchIntervalMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** @throws JwksError SIGNING_KEY_NOT_FOUND or JWKS_UNAVAILABLE. */
  async keyFor(kid: string | undefined): Promise<KeyObject> {
    const age = Date.now() - this.fetchedAt;
    if (age >= this.cacheMaxAgeMs || (this.find(kid) === undefined && age >= this.minRefetchIntervalMs)) {
      await this.refresh();
    }
    const key = this.find(kid);
    if (key === undefined) {
      throw new JwksError(
        'SIGNING_KEY_NOT_FOUND',
        kid === undefined
          ? 'the token has no key id and the JWKS publishes several keys'
          : `no published signing key matches the token's key id "${kid}"`,
      );
    }
    return key;
  }

  private find(kid: string | undefined): KeyObject | undefined {
    if (kid !== undefined) return this.keys.get(kid);
    return this.keys.size === 1 ? [...this.keys.values()][0] : undefined;
  }

  // Concurrent requests share one fetch.
  private refresh(): Promise<void> {
    this.inFlight ??= this.fetchKeys().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async fetchKeys(): Promise<void> {
    let body: unknown;
    try {
      const response = await fetch(this.url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      throw new JwksError(
        'JWKS_UNAVAILABLE',
        `the JWKS could not be fetched: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const keys = parseSigningKeys(body);
    if (keys.size === 0) throw new JwksError('JWKS_UNAVAILABLE', 'the JWKS publishes no RS256 signing keys');
    this.keys = keys;
    this.fetchedAt = Date.now();
  }
}

function parseSigningKeys(body: unknown): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  const list = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) return keys;
  for (const jwk of list as JsonWebKey[]) {
    const usable =
      jwk.kty === 'RSA' &&
      typeof jwk.kid === 'string' &&
      (jwk.use ?? 'sig') === 'sig' &&
      (jwk.alg ?? 'RS256') === 'RS256';
    if (!usable) continue;
    try {
      keys.set(jwk.kid as string, createPublicKey({ key: jwk, format: 'jwk' }));
    } catch {
      // A malformed entry must not take the valid keys down with it.
    }
  }
  return keys;
}
