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

  it('should report JWKS_UNAVAILABLE when the endpoint answers an error', async () => {
    const resolver = new JwksKeyResolver(jwks.url.replace('jwks.json', 'missing.json'));
    await expect(resolver.keyFor('k1')).rejects.toMatchObject({ code: 'JWKS_UNAVAILABLE' });
  });
});
