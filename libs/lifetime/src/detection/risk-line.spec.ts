import { assessLapse, DEFAULT_RISK_LINE } from './risk-line';

// Regular guests staying about monthly: rates Gamma(r = 3, α = 90 days).
const MODEL = { r: 3, alpha: 90, a: 0.3, b: 6 };
const MONTHLY = { firstDay: 0, lastDay: 300, repeatVisits: 10 };

describe('assessLapse', () => {
  it('should not flag a regular guest within their usual gap', () => {
    expect(assessLapse(MODEL, DEFAULT_RISK_LINE, MONTHLY, 330)).toMatchObject({
      lapsing: false,
      daysSinceLastStay: 30,
    });
  });

  it('should flag a regular guest silent for more than the multiple of their expected interval', () => {
    const assessment = assessLapse(MODEL, DEFAULT_RISK_LINE, MONTHLY, 360);
    expect(assessment.expectedIntervalDays).toBeCloseTo(390 / 13, 10);
    expect(assessment).toMatchObject({ lapsing: true, riskLevel: 'elevated', daysSinceLastStay: 60 });
  });

  it('should call it high when the model also doubts the guest is still active', () => {
    expect(assessLapse(MODEL, DEFAULT_RISK_LINE, MONTHLY, 600)).toMatchObject({
      lapsing: true,
      riskLevel: 'high',
    });
  });

  it('should never flag a guest without an established pattern', () => {
    const once = { firstDay: 0, lastDay: 30, repeatVisits: 1 };
    expect(assessLapse(MODEL, DEFAULT_RISK_LINE, once, 900).lapsing).toBe(false);
  });
});
