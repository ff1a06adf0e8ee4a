import { ConfigValidationError, loadConfig } from '@loyalty/config';
import { DEV_SURVEYS_TOKEN_SECRET, SurveysConfig } from './surveys.config';

describe('SurveysConfig send window', () => {
  it('should send from 08 to 20 local when the window is not set', () => {
    expect(loadConfig(SurveysConfig, {})).toMatchObject({
      SURVEYS_SEND_FIRST_HOUR: 8,
      SURVEYS_SEND_LAST_HOUR: 20,
    });
  });

  it('should refuse to start when the window ends before it starts', () => {
    const loading = () =>
      loadConfig(SurveysConfig, { SURVEYS_SEND_FIRST_HOUR: '20', SURVEYS_SEND_LAST_HOUR: '8' });
    expect(loading).toThrow(ConfigValidationError);
    expect(loading).toThrow(/SURVEYS_SEND_LAST_HOUR must not be before SURVEYS_SEND_FIRST_HOUR/);
  });
});

describe('SurveysConfig unknown guests', () => {
  it('should wait a day for a guest surveys has not heard of unless told otherwise', () => {
    expect(loadConfig(SurveysConfig, {}).SURVEYS_UNKNOWN_GUEST_GRACE_HOURS).toBe(24);
    expect(
      loadConfig(SurveysConfig, { SURVEYS_UNKNOWN_GUEST_GRACE_HOURS: '0' }).SURVEYS_UNKNOWN_GUEST_GRACE_HOURS,
    ).toBe(0);
  });

  it('should refuse to start with a grace period that is not a whole number of hours up to 720', () => {
    expect(() => loadConfig(SurveysConfig, { SURVEYS_UNKNOWN_GUEST_GRACE_HOURS: '1.5' })).toThrow(
      /SURVEYS_UNKNOWN_GUEST_GRACE_HOURS must be a whole number of hours between 0 and 720/,
    );
    expect(() => loadConfig(SurveysConfig, { SURVEYS_UNKNOWN_GUEST_GRACE_HOURS: '721' })).toThrow(
      ConfigValidationError,
    );
  });
});

describe('SurveysConfig stays recorded long after check-out', () => {
  it('should survey stays recorded up to 30 days after check-out unless told otherwise', () => {
    expect(loadConfig(SurveysConfig, {}).SURVEYS_MAX_DAYS_AFTER_CHECKOUT).toBe(30);
    expect(
      loadConfig(SurveysConfig, { SURVEYS_MAX_DAYS_AFTER_CHECKOUT: '7' }).SURVEYS_MAX_DAYS_AFTER_CHECKOUT,
    ).toBe(7);
  });

  it('should refuse to start with a maximum that is not a whole number of days up to 365', () => {
    for (const value of ['-1', '2.5', '366'])
      expect(() => loadConfig(SurveysConfig, { SURVEYS_MAX_DAYS_AFTER_CHECKOUT: value })).toThrow(
        /SURVEYS_MAX_DAYS_AFTER_CHECKOUT must be a whole number of days between 0 and 365/,
      );
  });
});

describe('SurveysConfig skipped invitations repair', () => {
  it('should look for skipped invitations under guests merged away or erased every ten minutes unless told otherwise', () => {
    expect(loadConfig(SurveysConfig, {}).SURVEYS_SKIPPED_REPAIR_INTERVAL_MS).toBe(600_000);
    expect(
      loadConfig(SurveysConfig, { SURVEYS_SKIPPED_REPAIR_INTERVAL_MS: '0' })
        .SURVEYS_SKIPPED_REPAIR_INTERVAL_MS,
    ).toBe(0);
  });

  it('should refuse to start with an interval that is not a whole number of milliseconds up to a day', () => {
    expect(() => loadConfig(SurveysConfig, { SURVEYS_SKIPPED_REPAIR_INTERVAL_MS: '-1' })).toThrow(
      /SURVEYS_SKIPPED_REPAIR_INTERVAL_MS must be a whole number of milliseconds between 0 and 86400000/,
    );
  });
});

describe('SurveysConfig token secret', () => {
  // The platform's own development secret is refused too, so only this variable is in question.
  const production = {
    NODE_ENV: 'production',
    AUTH_JWT_SECRET: 'a-jwt-secret-of-our-own-0123456789',
    SURVEYS_LINK_BASE_URL: 'https://surveys.example/survey/',
  };

  it('should refuse to start when NODE_ENV is production and the secret is the development one', () => {
    for (const env of [production, { ...production, SURVEYS_TOKEN_SECRET: DEV_SURVEYS_TOKEN_SECRET }])
      expect(() => loadConfig(SurveysConfig, env)).toThrow(
        /^Invalid configuration: SURVEYS_TOKEN_SECRET must be set to a secret of your own when NODE_ENV is production \((default|got) "\*{4}"\)$/,
      );
  });

  it('should start in production when the secret is one of its own', () => {
    const env = { ...production, SURVEYS_TOKEN_SECRET: 'a-survey-secret-of-our-own-0123' };
    expect(loadConfig(SurveysConfig, env).SURVEYS_TOKEN_SECRET).toBe('a-survey-secret-of-our-own-0123');
  });

  it('should accept the development secret when NODE_ENV is not production', () => {
    expect(loadConfig(SurveysConfig, { NODE_ENV: 'development' }).SURVEYS_TOKEN_SECRET).toBe(
      DEV_SURVEYS_TOKEN_SECRET,
    );
  });
});

describe('SurveysConfig link base URL', () => {
  const production = {
    NODE_ENV: 'production',
    AUTH_JWT_SECRET: 'a-jwt-secret-of-our-own-0123456789',
    SURVEYS_TOKEN_SECRET: 'a-survey-secret-of-our-own-0123',
  };

  it.each([
    ['the default', {}, 'default "http://127.0.0.1:3003/survey/"'],
    ['set', { SURVEYS_LINK_BASE_URL: 'http://surveys.example/s/' }, 'got "http://surveys.example/s/"'],
  ])('should refuse to start when NODE_ENV is production and the links are plain http, %s', (_, env, got) => {
    expect(() => loadConfig(SurveysConfig, { ...production, ...env })).toThrow(
      `Invalid configuration: SURVEYS_LINK_BASE_URL must be an https:// URL when NODE_ENV is production (${got})`,
    );
  });
});
