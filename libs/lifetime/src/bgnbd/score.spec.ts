import { logLikelihood, prepareCustomers } from './log-likelihood';
import { historyLikelihood, integrateOverPrior } from './numeric-integration.fixture';
import { conditionalExpectedTransactions, expectedInterval, probabilityAlive } from './score';

// The published CDNOW fit (FHL 2005), in weeks.
const CDNOW = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const HISTORIES = [
  { x: 2, tx: 30.43, T: 38.86 },
  { x: 5, tx: 10, T: 38 },
  { x: 1, tx: 2, T: 35 },
];

describe('BG/NBD closed forms', () => {
  it.each(HISTORIES)('should match the integrated likelihood and P(alive) for %p', ({ x, tx, T }) => {
    const history = historyLikelihood(x, tx, T);
    const alive = integrateOverPrior(CDNOW, history.aliveAtT);
    const gone = integrateOverPrior(CDNOW, history.goneAfterLast);
    const one = prepareCustomers({
      frequency: Float64Array.of(x),
      recency: Float64Array.of(tx),
      T: Float64Array.of(T),
    });
    expect(logLikelihood(CDNOW, one)).toBeCloseTo(Math.log(alive + gone), 6);
    expect(probabilityAlive(CDNOW, x, tx, T)).toBeCloseTo(alive / (alive + gone), 7);
  });

  it.each(HISTORIES)(
    'should match the integrated expected transactions in the next 39 weeks for %p',
    ({ x, tx, T }) => {
      const history = historyLikelihood(x, tx, T);
      const t = 39;
      // Alive at T, a customer with rate λ and dropout p makes (1 - e^(-λpt)) / p more transactions.
      const future = integrateOverPrior(
        CDNOW,
        (rate, p) => history.aliveAtT(rate, p) * (-Math.expm1(-rate * p * t) / p),
      );
      const evidence = integrateOverPrior(
        CDNOW,
        (rate, p) => history.aliveAtT(rate, p) + history.goneAfterLast(rate, p),
      );
      expect(conditionalExpectedTransactions(CDNOW, t, x, tx, T)).toBeCloseTo(future / evidence, 6);
    },
  );

  it('should give P(alive) = 1 and the prior likelihood (α/(α+T))^r when there is no repeat transaction', () => {
    const none = prepareCustomers({
      frequency: Float64Array.of(0),
      recency: Float64Array.of(0),
      T: Float64Array.of(20),
    });
    expect(probabilityAlive(CDNOW, 0, 0, 20)).toBe(1);
    expect(logLikelihood(CDNOW, none)).toBeCloseTo(CDNOW.r * Math.log(CDNOW.alpha / (CDNOW.alpha + 20)), 12);
  });

  it('should expect nothing over no time, and be continuous across a = 1 where the formula is 0/0', () => {
    expect(conditionalExpectedTransactions(CDNOW, 0, 2, 30, 38)).toBeCloseTo(0, 15);
    const near = (a: number) => conditionalExpectedTransactions({ ...CDNOW, a }, 39, 2, 30, 38);
    expect(near(1)).toBeCloseTo((near(0.999) + near(1.001)) / 2, 5);
  });

  it('should expect of a recent guest what a model without dropout expects when dropouts are rare (large a and b)', () => {
    // As a chain of regulars fits it: a dropout chance of about 0.2 % a stay.
    const rare = { r: 0.4393, alpha: 37.36, a: 335.36, b: 161_976.96 };
    for (const [x, tx, T] of [
      [0, 0, 20],
      [2, 30, 40],
    ]) {
      const withoutDropout = ((rare.r + x) / (rare.alpha + T)) * 90;
      const expected = conditionalExpectedTransactions(rare, 90, x, tx, T);
      expect(Math.abs(expected / withoutDropout - 1)).toBeLessThan(0.01);
      expect(expected).toBeLessThanOrEqual(withoutDropout);
    }
  });

  it('should give the same expectation by either form of the bracket', () => {
    // r + x = 2.44: a - 1 just below it takes one form, just above it the other.
    const at = (a: number) =>
      conditionalExpectedTransactions({ r: 0.44, alpha: 20, a, b: 2_000 }, 90, 2, 30, 40);
    expect(at(3.44 - 1e-9)).toBeCloseTo(at(3.44 + 1e-9), 8);
  });

  it('should lose hope the longer a regular customer stays away', () => {
    expect(probabilityAlive(CDNOW, 10, 30, 31)).toBeGreaterThan(probabilityAlive(CDNOW, 10, 30, 60));
    expect(expectedInterval(CDNOW, 10, 30)).toBeCloseTo((CDNOW.alpha + 30) / (CDNOW.r + 10), 12);
  });
});
