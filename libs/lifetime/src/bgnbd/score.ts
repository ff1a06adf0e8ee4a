import type { BgNbdParameters } from './parameters';

/** The log of the odds that a customer dropped out rather than is still alive; -∞ when x = 0. */
function logDropoutOdds(p: BgNbdParameters, x: number, tx: number, T: number): number {
  if (x === 0) return -Infinity;
  return Math.log(p.a / (p.b + x - 1)) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
}

/** P(alive | x, t_x, T), FHL 2005 equation (11). */
export function probabilityAlive(p: BgNbdParameters, x: number, tx: number, T: number): number {
  return 1 / (1 + Math.exp(logDropoutOdds(p, x, tx, T)));
}

const EPSILON = 1e-16;
// About (r + x + 40) / (1 - z) terms are summed, 1 - z = (α+T)/(α+T+t): a million reaches horizons of
// thousands of times α + T.
const MAX_TERMS = 1_000_000;
// The negative binomial weights are summed relative to the first and brought back down past this.
const RESCALE_ABOVE = 1e250;

/**
 * E[Y(t) | x, t_x, T]: expected transactions in the next `t`, FHL 2005 equation (10), as
 * P(alive) · Σ_{n≥1} P(N = n) Σ_{j<n} E[q^j], a sum of positive terms. Alive at T, the rate is
 * Gamma(r+x, α+T) and the survival chance q = 1 - p is Beta(b+x, a), independently; the Poisson count N
 * the customer would make in `t` if never dropping out is then negative binomial (r+x, z = t/(α+T+t)),
 * and of those N the (j+1)-th happens when the first j survived, with chance E[q^j].
 * FHL's closed form 1 - (1-z)^(r+x) 2F1(r+x, b+x; a+b+x-1; z), divided by (a-1), is the same sum, but it
 * subtracts numbers close to each other (the more so the larger b) and, with a < 1, either Euler form of
 * its 2F1 cancels too: recent guests under ordinary fits got negative or huge expectations. Each term
 * here is at most P(N = n)·n, so the sum is at most E[N] = (r+x)/(α+T)·t, the expectation without dropout.
 */
export function conditionalExpectedTransactions(
  p: BgNbdParameters,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  const z = t / (p.alpha + T + t);
  return expectedWhileAlive(p.r + x, p.b + x, p.a, z) * probabilityAlive(p, x, tx, T);
}

/** Σ_{n≥1} NB(n; k, z) Σ_{j<n} (β)_j/(a+β)_j, summed until the rest is provably below EPSILON of it. */
function expectedWhileAlive(k: number, beta: number, a: number, z: number): number {
  let logScale = k * Math.log1p(-z); // log P(N = 0); `weight` is P(N = n) / exp(logScale)
  let weight = 1;
  let moment = 1; // E[q^n]
  let cumulative = 0; // Σ_{j<n} E[q^j]
  let sum = 0;
  for (let n = 0; n < MAX_TERMS; n++) {
    cumulative += moment;
    moment *= (beta + n) / (a + beta + n);
    weight *= (z * (k + n)) / (n + 1);
    const term = weight * cumulative;
    sum += term;
    if (term <= EPSILON * sum) {
      // E[q^j] falls with j, so the cumulative sum grows by at most (n+2)/(n+1): each later term is at
      // most `ratio` times the one before, and the rest at most term · ratio / (1 - ratio).
      const ratio = (z * (k + n + 1)) / (n + 1);
      if (ratio < 1 && term * ratio <= EPSILON * (1 - ratio) * sum) return sum * Math.exp(logScale);
    }
    if (weight > RESCALE_ABOVE) {
      weight /= RESCALE_ABOVE;
      sum /= RESCALE_ABOVE;
      logScale += Math.log(RESCALE_ABOVE);
    }
  }
  throw new RangeError(
    `E[Y] did not converge in ${MAX_TERMS} terms (r+x = ${k}, z = ${z}): the horizon is too long for α + T`,
  );
}

/**
 * The expected gap between transactions while the customer is alive: 1 / E[λ] under the posterior
 * Gamma(r + x, α + t_x) of the rate, using the history up to the last transaction only, so that a
 * long silence since then does not stretch the interval it is judged against.
 */
export function expectedInterval(p: BgNbdParameters, x: number, tx: number): number {
  return (p.alpha + tx) / (p.r + x);
}
