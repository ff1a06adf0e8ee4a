import { AuthConfig, DEV_JWT_SECRET } from './auth.config';
import { loadConfig } from './load-config';

const JWKS_URL = 'https://idp.example/.well-known/jwks.json';
const OWN_SECRET = 'a-secret-of-our-own-0123456789-abc';

describe('AuthConfig', () => {
  it('should refuse to start when NODE_ENV is production and the secret is left at the dev default', () => {
    expect(() => loadConfig(AuthConfig, { NODE_ENV: 'production' })).toThrow(
      'AUTH_JWT_SECRET must be set to a secret of your own (or AUTH_JWKS_URL set) when NODE_ENV is production',
    );
  });

  it('should refuse to start when NODE_ENV is production and the dev secret is set explicitly', () => {
    expect(() => loadConfig(AuthConfig, { NODE_ENV: 'production', AUTH_JWT_SECRET: DEV_JWT_SECRET })).toThrow(
      /AUTH_JWT_SECRET must be set to a secret of your own .*\(got "\*+"\)/,
    );
  });

  it('should accept the dev secret when NODE_ENV is not production', () => {
    expect(loadConfig(AuthConfig, { NODE_ENV: 'test' }).AUTH_JWT_SECRET).toBe(DEV_JWT_SECRET);
    expect(loadConfig(AuthConfig, {}).AUTH_JWT_SECRET).toBe(DEV_JWT_SECRET);
  });

  it('should refuse to start when NODE_ENV is production and the secret is under 256 bits', () => {
    const secret = 'x'.repeat(31);
    expect(() => loadConfig(AuthConfig, { NODE_ENV: 'production', AUTH_JWT_SECRET: secret })).toThrow(
      'Invalid configuration: AUTH_JWT_SECRET must be at least 32 characters when NODE_ENV is production (got "****")',
    );
    expect(loadConfig(AuthConfig, { NODE_ENV: 'production', AUTH_JWT_SECRET: `${secret}x` })).toBeDefined();
  });

  it('should start in production when a secret of its own or a JWKS is configured', () => {
    expect(loadConfig(AuthConfig, { NODE_ENV: 'production', AUTH_JWT_SECRET: OWN_SECRET })).toMatchObject({
      AUTH_JWT_SECRET: OWN_SECRET,
    });
    const jwks = { AUTH_JWKS_URL: JWKS_URL, AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'loyalty' };
    expect(loadConfig(AuthConfig, { NODE_ENV: 'production', ...jwks }).AUTH_JWKS_URL).toBe(JWKS_URL);
  });

  it('should refuse to start when NODE_ENV is production and AUTH_JWKS_URL is plain http', () => {
    const jwks = { AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'loyalty' };
    expect(() =>
      loadConfig(AuthConfig, {
        NODE_ENV: 'production',
        AUTH_JWKS_URL: 'http://idp.example/jwks.json',
        ...jwks,
      }),
    ).toThrow(
      'Invalid configuration: AUTH_JWKS_URL must be an https:// URL when NODE_ENV is production (got "http://idp.example/jwks.json")',
    );
  });

  it('should accept a plain http AUTH_JWKS_URL when NODE_ENV is not production', () => {
    const jwks = {
      AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks.json',
      AUTH_ISSUER: 'idp',
      AUTH_AUDIENCE: 'loyalty',
    };
    expect(loadConfig(AuthConfig, jwks).AUTH_JWKS_URL).toBe(jwks.AUTH_JWKS_URL);
    expect(loadConfig(AuthConfig, { NODE_ENV: 'test', ...jwks }).AUTH_JWKS_URL).toBe(jwks.AUTH_JWKS_URL);
  });

  it('should require the issuer and the audience when AUTH_JWKS_URL is set', () => {
    expect(() => loadConfig(AuthConfig, { AUTH_JWKS_URL: JWKS_URL })).toThrow(
      'Invalid configuration: AUTH_ISSUER is required when AUTH_JWKS_URL is set (not set); ' +
        'AUTH_AUDIENCE is required when AUTH_JWKS_URL is set (not set)',
    );
    expect(() => loadConfig(AuthConfig, { AUTH_JWKS_URL: JWKS_URL, AUTH_ISSUER: 'idp' })).toThrow(
      'AUTH_AUDIENCE is required when AUTH_JWKS_URL is set',
    );
  });

  it('should reject an empty issuer when it is set without a JWKS', () => {
    expect(() => loadConfig(AuthConfig, { AUTH_ISSUER: '' })).toThrow(
      'AUTH_ISSUER must not be empty when set',
    );
  });
});
