import { fitBgNbd } from './fit';
import { logLikelihood, prepareCustomers } from './log-likelihood';
import { simulateBgNbd } from './simulate-bgnbd';

const ages = (count: number, from: number, span: number) =>
  Float64Array.from({ length: count }, (_, i) => from + (i % span));

describe('fitBgNbd', () => {
  it.each([
    {
      name: 'CDNOW-like, in weeks',
      truth: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      T: ages(30_000, 26, 53),
    },
    {
      name: 'regular guests, in days',
      truth: { r: 2.5, alpha: 90, a: 0.4, b: 3.5 },
      T: ages(30_000, 365, 730),
    },
  ])('should recover the parameters it simulated from ($name)', ({ truth, T }) => {
    const customers = simulateBgNbd(truth, T, 2005);
    const fit = fitBgNbd(customers);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(fit.parameters[key] / truth[key] - 1)).toBeLessThan(0.15);
    }
    // A maximum: the true parameters explain the sample no better than the fitted ones.
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(logLikelihood(truth, prepareCustomers(customers)));
    expect(fit.customers).toBe(30_000);
  });

  it('should refuse an impossible history and an empty sample', () => {
    const bad = { frequency: Float64Array.of(2), recency: Float64Array.of(9), T: Float64Array.of(5) };
    expect(() => fitBgNbd(bad)).toThrow(/customer 0/);
    const empty = { frequency: new Float64Array(0), recency: new Float64Array(0), T: new Float64Array(0) };
    expect(() => fitBgNbd(empty)).toThrow(/no customers/);
  });
});
