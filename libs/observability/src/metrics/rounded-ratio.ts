const TWO = BigInt(2);
const TEN = BigInt(10);

/**
 * `part / whole` to `places` decimals, halves away from zero; null when there is no whole to divide.
 * `part` and `whole` are integers (counts, sums of whole scores) and the rounding works on them, not on
 * their float quotient: 41 / 40 is exactly 1.025, but as a float it is 1.02499…, which
 * `Math.round(value * 100) / 100` rounds down to 1.02.
 *
 * @throws RangeError when `part` or `whole` is not an integer, or `places` is not a whole number.
 */
export function roundedRatio(part: number, whole: number, places: number): number | null {
  if (whole === 0) return null;
  const numerator = BigInt(Math.abs(part)) * TEN ** BigInt(places);
  const denominator = BigInt(Math.abs(whole));
  // floor((2n + d) / 2d) rounds n / d half up; on magnitudes, that is half away from zero.
  const units = Number((TWO * numerator + denominator) / (TWO * denominator));
  return (Math.sign(part) * Math.sign(whole) * units) / 10 ** places + 0; // + 0 turns -0 into 0
}
