import { fitBgNbd } from './fit';
import { logLikelihood, prepareCustomers } from './log-likelihood';
import {
  expectedTransactionsOverDropout,
  historyLikelihood,
  integrateOverPrior,
} from './numeric-integration.fixture';
import { conditionalExpectedTransactions, expectedInterval, probabilityAlive } from './score';
import { simulateBgNbd } from './simulate-bgnbd';

// The published CDNOW fit (FHL 2005), in weeks.
const CDNOW = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const HISTORIES = [
  { x: 2, tx: 30.43, T: 38.86 },
  { x: 5, tx: 10, T: 38 },
  { x: 1, tx: 2, T: 35 },
];
// Guests in days, from brand new to long-standing: [x, t_x, T].
const GUESTS = [
  [0, 0, 0],
  [0, 0, 10],
  [1, 1, 1],
  [1, 5, 10],
  [2, 10, 10],
  [2, 30, 40],
  [4, 120, 150],
  [12, 300, 400],
  [30, 700, 720],
  [3, 40, 700],
];
// Every guest of the grid over every horizon: [x, t_x, T, t].
const GUEST_HORIZONS = GUESTS.flatMap((guest) => [7, 90, 365].map((t) => [...guest, t]));
// Recent guests: [x, t_x, T].
const RECENT = [0, 1, 2, 4, 8].flatMap((x) =>
  [0, 1, 5, 10, 20, 40].flatMap((T) =>
    x === 0 || T === 0 ? [[x, 0, T]] : [0.5 * T, T].map((tx) => [x, tx, T]),
  ),
);

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

  it('should expect nothing over no time, and be continuous across a = 1 where the FHL formula is 0/0', () => {
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

  it('should be continuous in a where the closed form switched between its Euler forms', () => {
    // r + x = 2.44: FHL's bracket took one Euler form for a - 1 just below it, the other just above.
    const at = (a: number) =>
      conditionalExpectedTransactions({ r: 0.44, alpha: 20, a, b: 2_000 }, 90, 2, 30, 40);
    expect(at(3.44 - 1e-9)).toBeCloseTo(at(3.44 + 1e-9), 8);
  });

  it.each([
    { name: 'an ordinary fit with a < 1 and a moderate b', p: { r: 0.78, alpha: 42.8, a: 0.28, b: 72 } },
    { name: 'a fit of rare dropouts', p: { r: 0.4393, alpha: 37.36, a: 335.36, b: 161_976.96 } },
    { name: 'a > 1, moderate b', p: { r: 2, alpha: 90, a: 3.5, b: 40 } },
    { name: 'a > 1, small b', p: { r: 0.5, alpha: 10, a: 1.8, b: 2.5 } },
    { name: 'a just below 1', p: { r: 1.5, alpha: 60, a: 0.99999, b: 4 } },
    { name: 'CDNOW in days', p: { ...CDNOW, alpha: CDNOW.alpha * 7 } },
  ])('should match the expectation integrated over the dropout probability under $name', ({ p }) => {
    const off: string[] = [];
    for (const [x, tx, T, t] of GUEST_HORIZONS) {
      const expected = expectedTransactionsOverDropout(p, t, x, tx, T);
      const got = conditionalExpectedTransactions(p, t, x, tx, T);
      if (!(Math.abs(got / expected - 1) < 1e-10))
        off.push(`x=${x} tx=${tx} T=${T} t=${t}: ${got} vs ${expected}`);
    }
    expect(off).toEqual([]);
  });

  it.each([
    { truth: { r: 0.8, alpha: 45, a: 0.8, b: 200 }, seed: 11 },
    { truth: { r: 0.5, alpha: 30, a: 0.6, b: 100 }, seed: 7 },
    { truth: { r: 2, alpha: 90, a: 0.4, b: 60 }, seed: 11 },
  ])(
    'should expect of a recent guest no less than nothing and no more than without dropout when fitted to a simulated chain ($truth)',
    ({ truth, seed }) => {
      const ages = Array.from({ length: 4000 }, (_, i) => 30 + (i % 700));
      const p = fitBgNbd(simulateBgNbd(truth, ages, seed)).parameters;
      const off: string[] = [];
      for (const [x, tx, T] of RECENT) {
        for (const t of [30, 90, 365]) {
          const expected = conditionalExpectedTransactions(p, t, x, tx, T);
          const withoutDropout = ((p.r + x) / (p.alpha + T)) * t;
          if (!(expected >= 0 && expected <= withoutDropout * (1 + 1e-12))) {
            off.push(`x=${x} tx=${tx} T=${T} t=${t}: ${expected} (bound ${withoutDropout})`);
          }
        }
      }
      expect(off).toEqual([]);
    },
  );

  it('should stay accurate for a guest of many stays over a long horizon, whose first weight underflows', () => {
    // ((α+T)/(α+T+t))^(r+x) is about e^-4160 here, far below the smallest double.
    const p = { r: 0.78, alpha: 42.8, a: 0.28, b: 72 };
    const [x, tx, T, t] = [2_000, 100, 100, 1_000];
    const expected = expectedTransactionsOverDropout(p, t, x, tx, T);
    expect(conditionalExpectedTransactions(p, t, x, tx, T) / expected - 1).toBeCloseTo(0, 10);
  });

  it('should lose hope the longer a regular customer stays away', () => {
    expect(probabilityAlive(CDNOW, 10, 30, 31)).toBeGreaterThan(probabilityAlive(CDNOW, 10, 30, 60));
    expect(expectedInterval(CDNOW, 10, 30)).toBeCloseTo((CDNOW.alpha + 30) / (CDNOW.r + 10), 12);
  });
});
