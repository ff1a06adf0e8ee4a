import { logBeta, logGamma } from '../special/log-gamma';
import type { BgNbdParameters } from './parameters';

/**
 * Independent reference values: the BG/NBD quantities as integrals over the customer's unknown rate λ
 * and dropout probability p, computed by brute-force quadrature (trapezoid rule in log λ and logit p,
 * where the integrands are smooth and vanish at both ends) instead of the closed forms under test.
 * For such integrands the trapezoid rule converges exponentially: these grids agree with ones four to ten
 * times finer to within 1e-13, far inside what the tests ask.
 */
const STEPS = 200;
const LOG_RATE = { from: -30, to: 8 };
const LOGIT_P = { from: -40, to: 40 };

function grid({ from, to }: { from: number; to: number }): { nodes: Float64Array; width: number } {
  const width = (to - from) / STEPS;
  return { nodes: Float64Array.from({ length: STEPS + 1 }, (_, i) => from + i * width), width };
}

/** ∫∫ h(λ, p) Gamma(λ; r, α) Beta(p; a, b) dλ dp. */
export function integrateOverPrior(params: BgNbdParameters, h: (rate: number, p: number) => number): number {
  const { r, alpha, a, b } = params;
  const rates = grid(LOG_RATE);
  const probabilities = grid(LOGIT_P);
  // Densities times the Jacobians dλ/ds = λ and dp/du = p (1 - p).
  const rateWeights = rates.nodes.map((s) =>
    Math.exp(r * Math.log(alpha) + r * s - alpha * Math.exp(s) - logGamma(r)),
  );
  const ps = probabilities.nodes.map((u) => 1 / (1 + Math.exp(-u)));
  const pWeights = ps.map((p) => Math.exp(a * Math.log(p) + b * Math.log1p(-p) - logBeta(a, b)));
  let total = 0;
  for (let i = 0; i < rates.nodes.length; i++) {
    const rate = Math.exp(rates.nodes[i]);
    for (let j = 0; j < ps.length; j++) total += rateWeights[i] * pWeights[j] * h(rate, ps[j]);
  }
  return total * rates.width * probabilities.width;
}

/** The likelihood of one customer's history given λ and p (FHL 2005, equation 3), split by fate. */
export function historyLikelihood(x: number, tx: number, T: number) {
  return {
    aliveAtT: (rate: number, p: number) => Math.pow(1 - p, x) * Math.pow(rate, x) * Math.exp(-rate * T),
    goneAfterLast: (rate: number, p: number) =>
      x > 0 ? p * Math.pow(1 - p, x - 1) * Math.pow(rate, x) * Math.exp(-rate * tx) : 0,
  };
}

const DROPOUT_STEPS = 2_000;

/**
 * E[Y(t) | x, t_x, T] as a ratio of two integrals over the dropout probability p alone, the rate λ
 * integrated out by hand: given λ and p, the history weighs (1-p)^x λ^x e^(-λT) alive and
 * p (1-p)^(x-1) λ^x e^(-λ t_x) gone, and an alive customer makes (1 - e^(-λpt)) / p more transactions;
 * over Gamma(r, α), λ^x e^(-λu) gives ∝ (α+u)^-(r+x), and e^(-λpt) a further ((α+T)/(α+T+pt))^(r+x).
 * Trapezoid rule in logit p over the whole mass of Beta(a, b): fine enough for a concentrated prior
 * (large a and b) and long enough for the heavy left tail of a small a.
 */
export function expectedTransactionsOverDropout(
  params: BgNbdParameters,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  const { r, alpha, a, b } = params;
  const k = r + x;
  const logGoneOverAlive = k * (Math.log(alpha + T) - Math.log(alpha + tx));
  const mode = Math.log(a / b);
  // The log prior at its peak, taken off so that a concentrated prior does not underflow.
  const peak = a * Math.log(a / (a + b)) + b * Math.log(b / (a + b));
  const from = Math.min(mode, 0) - 45 / a - 10;
  const to = Math.max(mode, 0) + 45 / Math.max(b + x - 1, 0.5) + 10;
  const width = (to - from) / DROPOUT_STEPS;
  let future = 0;
  let evidence = 0;
  for (let i = 0; i <= DROPOUT_STEPS; i++) {
    const u = from + i * width;
    const logP = -Math.log1p(Math.exp(-u));
    const logQ = -Math.log1p(Math.exp(u));
    const p = Math.exp(logP);
    // Beta(a, b) density times dp/du = p (1 - p), up to a constant that cancels in the ratio.
    const prior = Math.exp(a * logP + b * logQ - peak);
    const alive = prior * Math.exp(x * logQ);
    const gone = x > 0 ? prior * Math.exp(logP + (x - 1) * logQ + logGoneOverAlive) : 0;
    const weight = i === 0 || i === DROPOUT_STEPS ? 0.5 : 1;
    future += weight * alive * (-Math.expm1(-k * Math.log1p((p * t) / (alpha + T))) / p);
    evidence += weight * (alive + gone);
  }
  return future / evidence;
}
