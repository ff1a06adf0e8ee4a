import { randomBytes } from 'node:crypto';
import { loadConfig } from '@loyalty/config';
import { DEV_PROFILES_BLIND_INDEX_KEY, DEV_PROFILES_MASTER_KEY, ProfilesConfig } from './profiles.config';

const ownKey = () => randomBytes(32).toString('base64');
// The platform's own development secret is refused too, so only the keys are in question.
const production = { NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-jwt-secret-of-our-own-0123456789' };

describe('ProfilesConfig keys', () => {
  it.each([
    ['PROFILES_MASTER_KEY', DEV_PROFILES_MASTER_KEY, { PROFILES_BLIND_INDEX_KEY: ownKey() }],
    ['PROFILES_BLIND_INDEX_KEY', DEV_PROFILES_BLIND_INDEX_KEY, { PROFILES_MASTER_KEY: ownKey() }],
  ])(
    'should refuse to start when NODE_ENV is production and %s is the development key',
    (variable, devKey, otherKey) => {
      const message = `Invalid configuration: ${variable} must be set to a secret of your own when NODE_ENV is production`;
      expect(() => loadConfig(ProfilesConfig, { ...production, ...otherKey })).toThrow(
        `${message} (default "****")`,
      );
      expect(() => loadConfig(ProfilesConfig, { ...production, ...otherKey, [variable]: devKey })).toThrow(
        `${message} (got "****")`,
      );
    },
  );

  it('should start in production when both keys are its own', () => {
    const keys = { PROFILES_MASTER_KEY: ownKey(), PROFILES_BLIND_INDEX_KEY: ownKey() };
    expect(loadConfig(ProfilesConfig, { ...production, ...keys })).toMatchObject(keys);
  });

  it('should accept the development keys when NODE_ENV is not production', () => {
    expect(loadConfig(ProfilesConfig, { NODE_ENV: 'development' })).toMatchObject({
      PROFILES_MASTER_KEY: DEV_PROFILES_MASTER_KEY,
      PROFILES_BLIND_INDEX_KEY: DEV_PROFILES_BLIND_INDEX_KEY,
    });
  });
});

describe('ProfilesConfig job intervals', () => {
  // Node runs a timer longer than about 24.8 days, or of a fraction, every millisecond.
  it.each([
    ['PROFILES_RFM_INTERVAL_MS', '2592000000', 'between 0 and 86400000'],
    ['PROFILES_RFM_INTERVAL_MS', '0.5', 'between 0 and 86400000'],
    ['PROFILES_ADJUSTMENT_SWEEP_MS', '86400000', 'between 0 and 3600000'],
    ['PROFILES_OWED_ANNOUNCEMENTS_INTERVAL_MS', '-1', 'between 0 and 86400000'],
  ])('should refuse to start with %s=%s', (variable, value, range) => {
    expect(() => loadConfig(ProfilesConfig, { [variable]: value })).toThrow(
      `${variable} must be a whole number of milliseconds ${range}`,
    );
  });

  it('should take a daily recompute and a sweep every minute, or either off', () => {
    const env = { PROFILES_RFM_INTERVAL_MS: '86400000', PROFILES_ADJUSTMENT_SWEEP_MS: '60000' };
    expect(loadConfig(ProfilesConfig, env)).toMatchObject({
      PROFILES_RFM_INTERVAL_MS: 86_400_000,
      PROFILES_ADJUSTMENT_SWEEP_MS: 60_000,
    });
    expect(loadConfig(ProfilesConfig, { PROFILES_RFM_INTERVAL_MS: '0' }).PROFILES_RFM_INTERVAL_MS).toBe(0);
  });
});

describe('ProfilesConfig cache', () => {
  it('should refuse a fraction of a second for the cache, which Redis refuses to set', () => {
    expect(() => loadConfig(ProfilesConfig, { PROFILES_CACHE_TTL_SECONDS: '1.5' })).toThrow(
      'PROFILES_CACHE_TTL_SECONDS must be a whole number of seconds',
    );
    expect(loadConfig(ProfilesConfig, { PROFILES_CACHE_TTL_SECONDS: '60' }).PROFILES_CACHE_TTL_SECONDS).toBe(
      60,
    );
  });
});
