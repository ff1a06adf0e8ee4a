import { hypergeometric2F1 } from '../special/hypergeometric';
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

// At a = 1 the formula is 0/0; it is smooth in a, so the mean of a ± A_NUDGE stands in for it.
const A_NUDGE = 1e-4;

/**
 * E[Y(t) | x, t_x, T]: expected transactions in the next `t`, FHL 2005 equation (10):
 * (a+b+x-1)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)] · P(alive), z = t/(α+T+t).
 * Euler's transformation 2F1(A,B;C;z) = (1-z)^(C-A-B) 2F1(C-A,C-B;C;z) gives the bracket as well as
 * 1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z). The 2F1 of each grows about as (1-z)^-power, so the form
 * with the smaller power is taken: the second for the usual fits and many stays, the first for a fit of
 * rare dropouts (large a and b, as a chain of regulars gives), whose second form overflows.
 */
export function conditionalExpectedTransactions(
  p: BgNbdParameters,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  if (Math.abs(p.a - 1) < A_NUDGE) {
    const below = expectedAwayFromAOne({ ...p, a: 1 - A_NUDGE }, t, x, tx, T);
    const above = expectedAwayFromAOne({ ...p, a: 1 + A_NUDGE }, t, x, tx, T);
    return (below + above) / 2;
  }
  return expectedAwayFromAOne(p, t, x, tx, T);
}

function expectedAwayFromAOne(p: BgNbdParameters, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const z = t / (alpha + T + t);
  const scaled =
    r + x < Math.abs(a - 1)
      ? Math.pow(1 - z, r + x) * hypergeometric2F1(r + x, b + x, a + b + x - 1, z)
      : Math.pow(1 - z, a - 1) * hypergeometric2F1(a + b - 1 - r, a - 1, a + b + x - 1, z);
  const bracket = 1 - scaled;
  return ((a + b + x - 1) / (a - 1)) * bracket * probabilityAlive(p, x, tx, T);
}

/**
 * The expected gap between transactions while the customer is alive: 1 / E[λ] under the posterior
 * Gamma(r + x, α + t_x) of the rate, using the history up to the last transaction only, so that a
 * long silence since then does not stretch the interval it is judged against.
 */
export function expectedInterval(p: BgNbdParameters, x: number, tx: number): number {
  return (p.alpha + tx) / (p.r + x);
}
