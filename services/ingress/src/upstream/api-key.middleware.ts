import { HttpException, HttpStatus, Injectable, type NestMiddleware } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { MetricsService } from '@loyalty/observability';
import { IngressConfig } from '../config/ingress.config';
import { ApiKeys, type UpstreamSystem } from './api-keys';
import { RateLimiter } from './rate-limiter';
import { answerRetryLater, authFailuresLimited, RetryLater, type RetryLaterResponse } from './retry-later';

/** The little of an HTTP request the ingress reads; the middleware adds the calling system. */
export interface UpstreamRequest {
  /**
   * The client's address, as Express gives it: the socket's, or with TRUST_PROXY set the one the trusted
   * proxies forwarded.
   */
  ip?: string;
  header(name: string): string | undefined;
  upstream: UpstreamSystem;
}

function unauthenticated(presented: string | undefined): HttpException {
  const code = presented ? 'API_KEY_INVALID' : 'API_KEY_MISSING';
  const message = presented
    ? 'the X-Api-Key header names no upstream system'
    : 'send your system’s key in X-Api-Key';
  return new HttpException(
    { statusCode: 401, error: 'Unauthorized', code, message },
    HttpStatus.UNAUTHORIZED,
  );
}

/**
 * Upstream systems authenticate with their own API key (`X-Api-Key`), not with staff tokens. Runs
 * before the body parser (see UpstreamModule): a request without a valid key is refused on its headers,
 * its body never buffered nor parsed (Node discards it). A client address that sent too many of them gets
 * 429 instead of 401 for the rest of the minute. A valid key is never refused for its address: behind a
 * proxy every caller has the proxy's, and one guesser would otherwise shut every system out; with keys
 * of enough entropy the limit is there to bound the work guessing costs, not to make guessing slower.
 */
@Injectable()
export class ApiKeyMiddleware implements NestMiddleware {
  private readonly keys: ApiKeys;
  private readonly keyUses: Counter<'system' | 'key'>;

  constructor(
    config: IngressConfig,
    private readonly limiter: RateLimiter,
    metrics: MetricsService,
  ) {
    this.keys = ApiKeys.parse(config.INGRESS_API_KEYS);
    // During a key rotation, the old key's count stops rising once every sender has the new one.
    this.keyUses = metrics.counter(
      'ingress_api_key_requests_total',
      'Requests each upstream key let in, by system and key fingerprint (first 8 hex digits of its SHA-256)',
      ['system', 'key'],
    );
  }

  use(request: UpstreamRequest, response: RetryLaterResponse, next: (error?: unknown) => void): void {
    this.authenticate(request).then(
      () => next(),
      (error: unknown) => {
        // An error passed on reaches Nest's global filters, which give a 401 the platform's shape but
        // know nothing of `RetryLater`: that is answered here, as the controller's filter would.
        if (error instanceof RetryLater) answerRetryLater(response, error);
        else next(error);
      },
    );
  }

  private async authenticate(request: UpstreamRequest): Promise<void> {
    const presented = request.header('x-api-key');
    const key = this.keys.identify(presented);
    if (!key) {
      const lockedOutFor = await this.limiter.countAuthFailure(request.ip ?? 'unknown');
      throw lockedOutFor > 0 ? authFailuresLimited(lockedOutFor) : unauthenticated(presented);
    }
    this.keyUses.inc({ system: key.system.name, key: key.fingerprint });
    request.upstream = key.system;
  }
}
