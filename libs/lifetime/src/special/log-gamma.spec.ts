import { logBeta, logGamma, signedLogGamma } from './log-gamma';

describe('logGamma', () => {
  it('should match factorials and Γ(1/2) = √π', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 9);
    expect(logGamma(1e-8)).toBeCloseTo(-Math.log(1e-8) - 0.5772156649e-8, 8);
  });

  it('should give sign and size for negative arguments, and infinity at the poles', () => {
    const g = signedLogGamma(-0.5);
    expect(g.sign).toBe(-1);
    expect(g.log).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 13);
    expect(signedLogGamma(-1.5).sign).toBe(1);
    expect(signedLogGamma(-3).log).toBe(Infinity);
  });

  it('should give B(2, 3) = 1/12', () => {
    expect(logBeta(2, 3)).toBeCloseTo(-Math.log(12), 13);
  });
});
