import { logBeta, logGamma } from '../special/log-gamma';
import type { BgNbdParameters } from './parameters';

/**
 * Independent reference values: the BG/NBD quantities as integrals over the customer's unknown rate λ
 * and dropout probability p, computed by brute-force quadrature (trapezoid rule in log λ and logit p,
 * where the integrands are smooth and vanish at both ends) instead of the closed forms under test.
 */
const STEPS = 800;
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
