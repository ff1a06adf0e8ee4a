import { logBeta, logGamma } from '../special/log-gamma';
import type { BgNbdParameters, CustomerColumns } from './parameters';

/**
 * The customers with their distinct frequencies indexed once, so that the terms that depend only on x
 * (gamma and beta functions) are computed once per distinct x instead of once per customer.
 */
export interface PreparedCustomers extends CustomerColumns {
  readonly distinctFrequencies: Float64Array;
  readonly frequencyIndex: Int32Array;
}

export function prepareCustomers(customers: CustomerColumns): PreparedCustomers {
  const distinct = [...new Set(customers.frequency)].sort((p, q) => p - q);
  const position = new Map(distinct.map((x, i) => [x, i]));
  const frequencyIndex = new Int32Array(customers.frequency.length);
  for (let i = 0; i < frequencyIndex.length; i++) {
    frequencyIndex[i] = position.get(customers.frequency[i]) as number;
  }
  return { ...customers, distinctFrequencies: Float64Array.from(distinct), frequencyIndex };
}

/** ln(1 + e^v) without overflow. */
export function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

/**
 * The BG/NBD log-likelihood, FHL 2005 equation (6), summed over customers, in log space:
 * ln L = ln Γ(r+x) - ln Γ(r) + r ln α + ln B(a, b+x) - ln B(a, b) - (r+x) ln(α+T)
 *        + ln(1 + [x>0] a/(b+x-1) ((α+T)/(α+t_x))^(r+x)).
 */
export function logLikelihood(params: BgNbdParameters, customers: PreparedCustomers): number {
  const { r, alpha, a, b } = params;
  const { distinctFrequencies, frequencyIndex, frequency, recency, T } = customers;
  const constant = new Float64Array(distinctFrequencies.length);
  const dropoutOdds = new Float64Array(distinctFrequencies.length);
  const shared = -logGamma(r) + r * Math.log(alpha) - logBeta(a, b);
  for (let u = 0; u < distinctFrequencies.length; u++) {
    const x = distinctFrequencies[u];
    constant[u] = shared + logGamma(r + x) + logBeta(a, b + x);
    dropoutOdds[u] = x > 0 ? Math.log(a / (b + x - 1)) : -Infinity;
  }
  let total = 0;
  for (let i = 0; i < frequency.length; i++) {
    const u = frequencyIndex[i];
    const x = frequency[i];
    const logAgeTerm = Math.log(alpha + T[i]);
    total += constant[u] - (r + x) * logAgeTerm;
    if (x > 0) total += softplus(dropoutOdds[u] + (r + x) * (logAgeTerm - Math.log(alpha + recency[i])));
  }
  return total;
}
