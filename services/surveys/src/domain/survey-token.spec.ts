import { readSurveyToken, signSurveyToken } from './survey-token';

const claims = {
  surveyId: '6f1d1c2e-8d1a-4b7e-9a51-2b8e6a0c4d11',
  expiresAt: new Date('2025-03-19T09:00:00Z'),
};

describe('survey tokens', () => {
  it('should read back the survey and expiry when the token is the one signed', () => {
    expect(readSurveyToken(signSurveyToken(claims, 'secret'), 'secret')).toEqual(claims);
  });

  it('should refuse a token signed with another secret', () => {
    expect(readSurveyToken(signSurveyToken(claims, 'other'), 'secret')).toBeNull();
  });

  it('should refuse a token whose expiry was changed after signing', () => {
    const [surveyId, , sig] = signSurveyToken(claims, 'secret').split('.');
    expect(readSurveyToken(`${surveyId}.9999999999.${sig}`, 'secret')).toBeNull();
  });

  it('should refuse text that is not a token', () => {
    expect(readSurveyToken('not-a-token', 'secret')).toBeNull();
  });
});
