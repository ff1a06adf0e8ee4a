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
