import { loadConfig } from '@loyalty/config';
import { DEV_INGRESS_API_KEY, IngressConfig } from './ingress.config';

const OWN_KEYS = 'opera-ams:an-ingress-key-of-our-own-01:AMS01,central:another-key-of-our-own-02:*';
// The platform's own development secret is refused too, so only the API keys are in question.
const production = { NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-jwt-secret-of-our-own-0123456789' };
const REFUSED =
  'Invalid configuration: INGRESS_API_KEYS must give every system a secret of your own when NODE_ENV is production';

describe('IngressConfig API keys', () => {
  it('should refuse to start when NODE_ENV is production and the keys are left at the development default', () => {
    expect(() => loadConfig(IngressConfig, production)).toThrow(`${REFUSED} (default "****")`);
  });

  it('should refuse to start when NODE_ENV is production and any system uses the development key', () => {
    const keys = `${OWN_KEYS},pms:${DEV_INGRESS_API_KEY}:AMS01|LON02`;
    expect(() => loadConfig(IngressConfig, { ...production, INGRESS_API_KEYS: keys })).toThrow(
      `${REFUSED} (got "****")`,
    );
  });

  it('should start in production when every system has a key of its own', () => {
    expect(loadConfig(IngressConfig, { ...production, INGRESS_API_KEYS: OWN_KEYS }).INGRESS_API_KEYS).toBe(
      OWN_KEYS,
    );
  });

  it('should accept the development key when NODE_ENV is not production', () => {
    expect(loadConfig(IngressConfig, { NODE_ENV: 'development' }).INGRESS_API_KEYS).toBe(
      `dev-pms:${DEV_INGRESS_API_KEY}:*`,
    );
  });

  it.each([
    ['a trailing newline, as a secret file leaves it', 'pms:0123456789abcdefg:AMS01\n'],
    ['a wildcard with a trailing newline', 'pms:0123456789abcdefg:*\n'],
    ['a space after a |', 'pms:0123456789abcdefg:AMS01| PAR01'],
    ['an empty property after a last |', 'pms:0123456789abcdefg:AMS01|'],
    ['a property no event can name', 'pms:0123456789abcdefg:AMS 01'],
  ])('should refuse to start on a property list with %s, which would match no event', (_, keys) => {
    expect(() => loadConfig(IngressConfig, { INGRESS_API_KEYS: keys })).toThrow(
      'INGRESS_API_KEYS must be system:secret:PROPERTY|PROPERTY entries',
    );
  });

  it.each([
    ['a trailing comma', 'pms:0123456789abcdefg:*,'],
    ['an entry without its properties', 'pms:0123456789abcdefg'],
    ['nothing at all', ''],
  ])('should refuse to start on keys with %s, naming the variable, also in production', (_, keys) => {
    for (const env of [{}, production])
      expect(() => loadConfig(IngressConfig, { ...env, INGRESS_API_KEYS: keys })).toThrow(
        'Invalid configuration: INGRESS_API_KEYS must be system:secret:PROPERTY|PROPERTY entries',
      );
  });

  it.each([
    ['a space before it, which the header loses', 'pms: s3cr3t-0123456789abcdef:AMS01'],
    ['a letter outside ASCII, which the header reads as two', 'pms:pässwort-0123456789ab:AMS01'],
    ['a space inside', 'pms:s3cr3t 0123456789abcdef:AMS01'],
  ])('should refuse to start on a secret with %s, which no request could present', (_, keys) => {
    expect(() => loadConfig(IngressConfig, { INGRESS_API_KEYS: keys })).toThrow(
      'INGRESS_API_KEYS must be system:secret:PROPERTY|PROPERTY entries (secret of 16+ printable ASCII characters other than space, comma and colon',
    );
  });

  it('should accept a secret of any printable ASCII but the separators', () => {
    const keys = 'pms:S3cr3t!#$%&*+-./;<=>?@[]^_{|}~:AMS01';
    expect(loadConfig(IngressConfig, { INGRESS_API_KEYS: keys }).INGRESS_API_KEYS).toBe(keys);
  });

  it('should accept property ids as events carry them, and * among them', () => {
    const keys = 'pms:0123456789abcdefg:AMS-01|par_02|lon.3,crs:0123456789abcdefh:*';
    expect(loadConfig(IngressConfig, { INGRESS_API_KEYS: keys }).INGRESS_API_KEYS).toBe(keys);
  });
});

describe('IngressConfig systems', () => {
  const SHARED = 'a-secret-two-systems-share-01';

  it('should refuse to start, naming both systems and not the secret, when two systems share a secret', () => {
    const keys = `central-crs:${SHARED}:*,pms-ams01:${SHARED}:AMS01`;
    expect(() => loadConfig(IngressConfig, { INGRESS_API_KEYS: keys })).toThrow(
      'Invalid configuration: INGRESS_API_KEYS gives central-crs and pms-ams01 the same secret: ' +
        'give each system a secret of its own (got "****")',
    );
  });

  it('should accept a system listed twice with the same properties, in any order: two keys, as a rotation has', () => {
    const keys = 'pms:0123456789abcdefg:AMS01|LON02,pms:0123456789abcdefh:LON02|AMS01';
    expect(loadConfig(IngressConfig, { INGRESS_API_KEYS: keys }).INGRESS_API_KEYS).toBe(keys);
  });

  it('should refuse to start, naming the system, when its keys name different properties', () => {
    const keys = 'pms:0123456789abcdefg:AMS01,pms:0123456789abcdefh:LON02';
    expect(() => loadConfig(IngressConfig, { INGRESS_API_KEYS: keys })).toThrow(
      'Invalid configuration: INGRESS_API_KEYS gives the keys of pms different properties: ' +
        'list the same properties with each of its keys (got "****")',
    );
  });

  it('should refuse to start, naming the system, when it lists one secret twice', () => {
    const keys = 'pms:0123456789abcdefg:AMS01,pms:0123456789abcdefg:AMS01';
    expect(() => loadConfig(IngressConfig, { INGRESS_API_KEYS: keys })).toThrow(
      'Invalid configuration: INGRESS_API_KEYS gives pms the same secret twice: ' +
        'a second key of a system needs a secret of its own (got "****")',
    );
  });
});
