import jwt from 'jsonwebtoken';
import { startJwksServer } from '../testing/jwks-server';
import { mintToken } from './mint-token';
import { TokenVerifier } from './token-verifier';

const SECRET = 'token-verifier-test-secret';
const CLAIMS = { sub: 'alice', roles: ['analyst'], properties: ['H1'] };

describe('TokenVerifier', () => {
  it('should return the principal when an HS256 token has an expiry', async () => {
    const token = mintToken({ sub: 'alice', roles: ['analyst'], properties: ['H1'] }, SECRET, '5m');
    await expect(new TokenVerifier({ jwtSecret: SECRET }).verify(token)).resolves.toMatchObject({
      sub: 'alice',
    });
  });

  it('should reject with TOKEN_INVALID when an HS256 token has no exp claim', async () => {
    const token = jwt.sign(CLAIMS, SECRET, { algorithm: 'HS256' });
    await expect(new TokenVerifier({ jwtSecret: SECRET }).verify(token)).rejects.toMatchObject({
      code: 'TOKEN_INVALID',
      message: 'the token has no expiry (exp claim)',
    });
  });

  it('should reject with TOKEN_INVALID when an RS256 token has no exp claim', async () => {
    const jwks = await startJwksServer('k1');
    try {
      const token = jwt.sign(CLAIMS, jwks.privateKey, { algorithm: 'RS256', keyid: 'k1' });
      const verifier = new TokenVerifier({ jwtSecret: SECRET, jwksUrl: jwks.url });
      await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    } finally {
      await jwks.close();
    }
  });

  describe('when the token is refused', () => {
    const ISSUER = 'iss-internal';
    const AUDIENCE = 'aud-internal';
    const verifier = new TokenVerifier({ jwtSecret: SECRET, issuer: ISSUER, audience: AUDIENCE });
    const signed = (options: jwt.SignOptions) =>
      jwt.sign(CLAIMS, SECRET, { expiresIn: '5m', issuer: ISSUER, audience: AUDIENCE, ...options });

    it.each([
      [
        'is for another audience',
        signed({ audience: 'someone-else' }),
        "the token's audience is not accepted",
      ],
      ['is from another issuer', signed({ issuer: 'someone-else' }), "the token's issuer is not accepted"],
      ['is not a JWT', 'not-a-jwt', 'the token is not a well-formed JWT'],
      [
        'uses another algorithm',
        signed({ algorithm: 'HS384' }),
        "the token's signing algorithm is not accepted",
      ],
    ])('should give a fixed reason, naming no configured value, when it %s', async (_, token, message) => {
      const rejection = await verifier.verify(token).catch((error: Error) => error);
      expect(rejection).toMatchObject({ code: 'TOKEN_INVALID', message });
    });
  });
});
