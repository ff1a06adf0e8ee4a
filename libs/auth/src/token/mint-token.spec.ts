import jwt from 'jsonwebtoken';
import { mintToken, parseTtl, TokenMintError } from './mint-token';
import { TokenVerifier } from './token-verifier';

const SECRET = 'a-test-secret-of-32-characters!!';

describe('parseTtl', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['15m', 900],
    ['8h', 28800],
    ['7d', 604800],
    [120, 120],
  ])('should read %p as %p seconds', (ttl, seconds) => {
    expect(parseTtl(ttl)).toBe(seconds);
  });

  it('should read 30d, the longest ttl, and refuse a second more', () => {
    expect(parseTtl('30d')).toBe(2_592_000);
    expect(() => parseTtl('2592001')).toThrow('at most 30d (got "2592001")');
  });

  it.each(['0', '-5m', '1.5h', '8 hours', '', 'forever', '99999d'])(
    'should throw TokenMintError when the ttl is %p',
    (ttl) => {
      expect(() => parseTtl(ttl)).toThrow(TokenMintError);
    },
  );
});

describe('mintToken', () => {
  it('should produce a token the verifier accepts when claims and secret match', async () => {
    const token = mintToken({ sub: 'alice', roles: ['chain-admin'], properties: ['*'] }, SECRET, '8h', {
      issuer: 'iss',
      audience: 'aud',
    });
    const principal = await new TokenVerifier({ jwtSecret: SECRET, issuer: 'iss', audience: 'aud' }).verify(
      token,
    );
    expect(principal).toEqual({ sub: 'alice', roles: ['chain-admin'], properties: ['*'] });
  });

  it('should set the expiry from the ttl when minting', () => {
    const before = Math.floor(Date.now() / 1000);
    const payload = jwt.decode(mintToken({ sub: 'a', roles: ['analyst'], properties: [] }, SECRET, '15m'));
    expect(payload).toMatchObject({ exp: expect.any(Number) });
    const { exp, iat } = payload as { exp: number; iat: number };
    expect(exp - iat).toBe(900);
    expect(iat).toBeGreaterThanOrEqual(before);
  });

  it('should refuse to mint when a role is unknown', () => {
    const claims = { sub: 'a', roles: ['root'], properties: [] } as unknown as Parameters<
      typeof mintToken
    >[0];
    expect(() => mintToken(claims, SECRET, '1h')).toThrow('"roles" has unknown roles: root');
  });
});
