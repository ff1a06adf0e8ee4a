import { ConfigValidationError, loadConfig } from '@loyalty/config';
import { SurveysConfig } from './surveys.config';

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
