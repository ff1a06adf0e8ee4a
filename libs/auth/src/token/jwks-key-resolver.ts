import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';

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
  /**
   * The key set is fetched at most this often, whether the last attempt succeeded or failed, so made-up
   * key ids or a failing IdP cannot turn every request into a fetch.
   */
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
  private keys: SigningKey[] = [];
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private lastFailure?: JwksError;
  private inFlight?: Promise<void>;
  private readonly cacheMaxAgeMs: number;
  private readonly minRefetchIntervalMs: number;
  private readonly timeoutMs: number;
  private readonly logger = new Logger('JwksKeyResolver');

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
    const now = Date.now();
    const stale = now - this.fetchedAt >= this.cacheMaxAgeMs;
    const triedRecently = now - this.lastAttemptAt < this.minRefetchIntervalMs;
    const due = (stale || this.find(kid) === undefined) && !triedRecently;
    if (due || this.inFlight !== undefined) {
      try {
        await this.refresh();
      } catch (error) {
        // An IdP outage must not lock out tokens signed by a key we already hold.
        if (this.find(kid) === undefined) throw error;
        this.logger.warn(`using the cached signing keys: ${(error as Error).message}`);
      }
    }
    const key = this.find(kid);
    if (key === undefined) {
      if (this.lastFailure !== undefined) throw this.lastFailure;
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
    if (kid !== undefined) return this.keys.find((key) => key.kid === kid)?.key;
    return this.keys.length === 1 ? this.keys[0].key : undefined;
  }

  // Concurrent requests share one fetch.
  private refresh(): Promise<void> {
    this.inFlight ??= this.fetchKeys().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async fetchKeys(): Promise<void> {
    this.lastAttemptAt = Date.now();
    try {
      this.keys = await this.download();
      this.fetchedAt = this.lastAttemptAt;
      this.lastFailure = undefined;
    } catch (error) {
      this.lastFailure = error as JwksError;
      throw error;
    }
  }

  private async download(): Promise<SigningKey[]> {
    let body: unknown;
    try {
      // Not followed: a redirect could lead to a plain http:// URL, past the rule that the keys come
      // over https in production.
      const response = await fetch(this.url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual',
      });
      if (response.status >= 300 && response.status < 400) {
        const location = response.headers.get('location') ?? 'nowhere';
        throw new Error(
          `HTTP ${response.status} redirects to ${location}; configure the URL it redirects to`,
        );
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      throw new JwksError(
        'JWKS_UNAVAILABLE',
        `the JWKS could not be fetched: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const keys = parseSigningKeys(body);
    if (keys.length === 0)
      throw new JwksError('JWKS_UNAVAILABLE', 'the JWKS publishes no RS256 signing keys');
    return keys;
  }
}

interface SigningKey {
  /** Absent when the IdP publishes a single key without an id; kid-less tokens then use that key. */
  kid?: string;
  key: KeyObject;
}

function parseSigningKeys(body: unknown): SigningKey[] {
  const keys: SigningKey[] = [];
  const list = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) return keys;
  for (const jwk of list as JsonWebKey[]) {
    const usable =
      jwk.kty === 'RSA' &&
      (jwk.kid === undefined || typeof jwk.kid === 'string') &&
      (jwk.use ?? 'sig') === 'sig' &&
      (jwk.alg ?? 'RS256') === 'RS256';
    if (!usable) continue;
    try {
      keys.push({ kid: jwk.kid as string | undefined, key: createPublicKey({ key: jwk, format: 'jwk' }) });
    } catch {
      // A malformed entry must not take the valid keys down with it.
    }
  }
  return keys;
}
