import { Logger } from '@nestjs/common';
import { startJwksServer, type JwksFixture } from '../testing/jwks-server';
import { JwksError, JwksKeyResolver } from './jwks-key-resolver';

describe('JwksKeyResolver', () => {
  let jwks: JwksFixture;

  beforeEach(async () => {
    jwks = await startJwksServer('k1');
  });
  afterEach(() => jwks.close());

  it('should fetch once and serve from cache when the same key is asked again', async () => {
    const resolver = new JwksKeyResolver(jwks.url);
    const first = await resolver.keyFor('k1');
    expect(first.asymmetricKeyType).toBe('rsa');
    await resolver.keyFor('k1');
    await resolver.keyFor(undefined);
    expect(jwks.requests()).toBe(1);
  });

  it('should share one fetch when requests arrive concurrently', async () => {
    const resolver = new JwksKeyResolver(jwks.url);
    await Promise.all([resolver.keyFor('k1'), resolver.keyFor('k1'), resolver.keyFor('k1')]);
    expect(jwks.requests()).toBe(1);
  });

  it('should not refetch within the minimum interval when an unknown key id is asked for', async () => {
    const resolver = new JwksKeyResolver(jwks.url, { minRefetchIntervalMs: 60_000 });
    await resolver.keyFor('k1');
    await expect(resolver.keyFor('nope')).rejects.toMatchObject({ code: 'SIGNING_KEY_NOT_FOUND' });
    await expect(resolver.keyFor('nope-2')).rejects.toBeInstanceOf(JwksError);
    expect(jwks.requests()).toBe(1);
  });

  it('should refetch when an unknown key id arrives after the minimum interval', async () => {
    const resolver = new JwksKeyResolver(jwks.url, { minRefetchIntervalMs: 0 });
    await resolver.keyFor('k1');
    await expect(resolver.keyFor('rotated')).rejects.toMatchObject({ code: 'SIGNING_KEY_NOT_FOUND' });
    expect(jwks.requests()).toBe(2);
  });

  it('should refuse a JWKS that redirects, naming where to, rather than take keys from wherever it leads', async () => {
    const resolver = new JwksKeyResolver(jwks.redirectingUrl);
    await expect(resolver.keyFor('k1')).rejects.toMatchObject({
      code: 'JWKS_UNAVAILABLE',
      message:
        'the JWKS could not be fetched: HTTP 302 redirects to /.well-known/jwks.json; configure the URL it redirects to',
    });
    expect(jwks.requests()).toBe(0);
  });

  it('should report JWKS_UNAVAILABLE when the endpoint answers an error', async () => {
    const resolver = new JwksKeyResolver(jwks.url.replace('jwks.json', 'missing.json'));
    await expect(resolver.keyFor('k1')).rejects.toMatchObject({ code: 'JWKS_UNAVAILABLE' });
  });
});

describe('JwksKeyResolver when the JWKS endpoint fails after a successful fetch', () => {
  let jwks: JwksFixture;
  let now: number;

  beforeEach(async () => {
    jwks = await startJwksServer('k1');
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await jwks.close();
  });

  it('should serve the cached key and warn when the refresh fails after the cache went stale', async () => {
    const resolver = new JwksKeyResolver(jwks.url, { cacheMaxAgeMs: 1_000, minRefetchIntervalMs: 500 });
    const cached = await resolver.keyFor('k1');
    jwks.setAvailable(false);
    now += 2_000;
    await expect(resolver.keyFor('k1')).resolves.toBe(cached);
    expect(jwks.requests()).toBe(2);
    expect(Logger.prototype.warn).toHaveBeenCalledWith(
      expect.stringContaining('using the cached signing keys'),
    );
  });

  it('should not retry the fetch within the minimum interval when the last refresh failed', async () => {
    const resolver = new JwksKeyResolver(jwks.url, { cacheMaxAgeMs: 1_000, minRefetchIntervalMs: 500 });
    await resolver.keyFor('k1');
    jwks.setAvailable(false);
    now += 2_000;
    await resolver.keyFor('k1');
    now += 100;
    await resolver.keyFor('k1');
    await resolver.keyFor('k1');
    expect(jwks.requests()).toBe(2);
    now += 500;
    await resolver.keyFor('k1');
    expect(jwks.requests()).toBe(3);
  });

  it('should report JWKS_UNAVAILABLE without refetching when no key is cached and the last fetch failed', async () => {
    jwks.setAvailable(false);
    const resolver = new JwksKeyResolver(jwks.url, { minRefetchIntervalMs: 500 });
    await expect(resolver.keyFor('k1')).rejects.toMatchObject({ code: 'JWKS_UNAVAILABLE' });
    await expect(resolver.keyFor('k1')).rejects.toMatchObject({ code: 'JWKS_UNAVAILABLE' });
    expect(jwks.requests()).toBe(1);
  });
});

describe('JwksKeyResolver when the JWKS publishes a single key without a key id', () => {
  it('should use that key when the token has no key id', async () => {
    const jwks = await startJwksServer('unused', { withoutKid: true });
    try {
      const key = await new JwksKeyResolver(jwks.url).keyFor(undefined);
      expect(key.asymmetricKeyType).toBe('rsa');
    } finally {
      await jwks.close();
    }
  });
});
