import { signedLogGamma } from './log-gamma';

const EPSILON = 1e-16;
const MAX_TERMS = 100_000;
// Where c - a - b is this close to an integer the two halves of the 1 - z transformation have poles
// that cancel (losing ~1e-16 / distance). The function is smooth in c, so there it is extrapolated
// from c ± NUDGE and c ± 2·NUDGE (Richardson: the error of the symmetric mean is even in the nudge).
const NEAR_INTEGER = 1e-4;
const NUDGE = 1e-3;

// Up to here the series of positive terms takes at most a few thousand of them.
const POSITIVE_SERIES_UP_TO = 0.9;

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real arguments and -1 < z < 1 (c not a
 * non-positive integer). The power series is summed where it converges fast (|z| <= 0.5), and further
 * when a, b and c are positive: its terms are then all positive and cannot cancel, while the two halves
 * of the transformation to 1 - z can, hugely so for large parameters. Elsewhere nearer z = 1 that
 * transformation is used, whose two series converge fast there.
 */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  if (!(z > -1 && z < 1)) throw new RangeError(`2F1 is implemented for -1 < z < 1, got z = ${z}`);
  if (z <= 0.5 || isNonPositiveInteger(a) || isNonPositiveInteger(b)) return series(a, b, c, z);
  if (a > 0 && b > 0 && c > 0 && z <= POSITIVE_SERIES_UP_TO) return series(a, b, c, z);
  const excess = c - a - b;
  if (Math.abs(excess - Math.round(excess)) < NEAR_INTEGER) {
    const mean = (d: number) => (oneMinusZ(a, b, c + d, z) + oneMinusZ(a, b, c - d, z)) / 2;
    return (4 * mean(NUDGE) - mean(2 * NUDGE)) / 3;
  }
  return oneMinusZ(a, b, c, z);
}

/** Σ (a)_n (b)_n / ((c)_n n!) z^n, stopping once a term no longer changes the sum. */
function series(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    if (Math.abs(term) <= EPSILON * Math.abs(sum)) return sum;
  }
  throw new Error(`2F1(${a}, ${b}; ${c}; ${z}) did not converge in ${MAX_TERMS} terms`);
}

/**
 * Abramowitz & Stegun 15.3.6:
 * 2F1(a,b;c;z) = Γ(c)Γ(m)/(Γ(c-a)Γ(c-b)) 2F1(a,b;1-m;1-z)
 *              + (1-z)^m Γ(c)Γ(-m)/(Γ(a)Γ(b)) 2F1(c-a,c-b;1+m;1-z),   m = c - a - b.
 */
function oneMinusZ(a: number, b: number, c: number, z: number): number {
  const m = c - a - b;
  const w = 1 - z;
  const first = gammaRatio([c, m], [c - a, c - b]) * series(a, b, 1 - m, w);
  const second = Math.pow(w, m) * gammaRatio([c, -m], [a, b]) * series(c - a, c - b, 1 + m, w);
  return first + second;
}

/** Π Γ(numerator) / Π Γ(denominator), in log space; a pole in the denominator gives 0. */
function gammaRatio(numerator: number[], denominator: number[]): number {
  let log = 0;
  let sign = 1;
  for (const x of numerator) {
    const g = signedLogGamma(x);
    log += g.log;
    sign *= g.sign;
  }
  for (const x of denominator) {
    const g = signedLogGamma(x);
    if (g.log === Infinity) return 0;
    log -= g.log;
    sign *= g.sign;
  }
  return sign * Math.exp(log);
}

function isNonPositiveInteger(x: number): boolean {
  return x <= 0 && Number.isInteger(x);
}
