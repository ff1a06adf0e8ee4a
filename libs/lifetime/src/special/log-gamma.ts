// Lanczos approximation (g = 7, n = 9): about 15 significant digits for every positive argument.
const G = 7;
const COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let series = COEFFICIENTS[0];
  for (let i = 1; i < COEFFICIENTS.length; i++) series += COEFFICIENTS[i] / (shifted + i);
  const t = shifted + G + 0.5;
  return HALF_LOG_TWO_PI + (shifted + 0.5) * Math.log(t) - t + Math.log(series);
}

/** ln |Γ(x)| and the sign of Γ(x) for any real x; at the poles (0, -1, -2, ...) |Γ| is infinite. */
export function signedLogGamma(x: number): { log: number; sign: 1 | -1 } {
  if (x > 0) return { log: logGamma(x), sign: 1 };
  if (Number.isInteger(x)) return { log: Infinity, sign: 1 };
  // Reflection: Γ(x) Γ(1 - x) = π / sin(πx), and 1 - x > 0 here.
  const sine = Math.sin(Math.PI * x);
  return { log: Math.log(Math.PI / Math.abs(sine)) - logGamma(1 - x), sign: sine < 0 ? -1 : 1 };
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b), for a, b > 0. */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}
