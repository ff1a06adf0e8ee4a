import { nelderMead } from '../optimise/nelder-mead';
import { logLikelihood, prepareCustomers } from './log-likelihood';
import { assertValidCustomers, type BgNbdParameters, type CustomerColumns } from './parameters';

export interface BgNbdFit {
  readonly parameters: BgNbdParameters;
  readonly logLikelihood: number;
  readonly customers: number;
  readonly evaluations: number;
}

/**
 * Parameters are searched as logarithms (α divided by the mean age), so they stay positive; beyond
 * e^±FIT_LOG_BOUND the likelihood is flat or overflows, and a fit there means the data cannot tell the
 * parameters apart anyway.
 */
export const FIT_LOG_BOUND = 12;
const MAX_RESTARTS = 6;

/**
 * Maximum-likelihood BG/NBD fit. Times are first divided by the mean age, so that the search starts
 * near r = α = a = b = 1 in every time unit; α is scaled back afterwards. Nelder–Mead is restarted
 * from its own best point until a restart no longer improves it, which guards against the simplex
 * collapsing early on the likelihood's long ridges.
 */
export function fitBgNbd(customers: CustomerColumns): BgNbdFit {
  assertValidCustomers(customers);
  if (customers.frequency.length === 0) throw new RangeError('cannot fit a model to no customers');
  const scale = customers.T.reduce((sum, t) => sum + t, 0) / customers.T.length || 1;
  const scaled = prepareCustomers({
    frequency: customers.frequency,
    recency: customers.recency.map((t) => t / scale),
    T: customers.T.map((t) => t / scale),
  });
  const negative = (logs: number[]) =>
    logs.some((v) => Math.abs(v) > FIT_LOG_BOUND) ? Infinity : -logLikelihood(fromLogs(logs, 1), scaled);
  let point = [0, 0, 0, 0];
  let value = negative(point);
  let evaluations = 1;
  for (let restart = 0; restart < MAX_RESTARTS; restart++) {
    const minimum = nelderMead(negative, point, { step: restart === 0 ? 1 : 0.2 });
    evaluations += minimum.evaluations;
    const improved = value - minimum.value > 1e-7 * (1 + Math.abs(value));
    if (minimum.value < value) ({ point, value } = minimum);
    if (!improved && restart > 0) break;
  }
  const parameters = fromLogs(point, scale);
  const original = prepareCustomers(customers);
  return {
    parameters,
    logLikelihood: logLikelihood(parameters, original),
    customers: customers.frequency.length,
    evaluations,
  };
}

function fromLogs([logR, logAlpha, logA, logB]: number[], timeScale: number): BgNbdParameters {
  return { r: Math.exp(logR), alpha: Math.exp(logAlpha) * timeScale, a: Math.exp(logA), b: Math.exp(logB) };
}
