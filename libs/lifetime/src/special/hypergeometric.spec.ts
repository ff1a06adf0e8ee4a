import { hypergeometric2F1 } from './hypergeometric';

/** The defining series summed term by term for as long as it takes: slow, but independent. */
function bruteForce(a: number, b: number, c: number, z: number, terms = 2_000_000): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < terms; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
  }
  return sum;
}

describe('hypergeometric2F1', () => {
  it.each([0.1, 0.5, 0.7, 0.95, 0.999])('should match closed forms at z = %p', (z) => {
    expect(hypergeometric2F1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 8);
    expect(hypergeometric2F1(2.3, 1.7, 1.7, z)).toBeCloseTo(Math.pow(1 - z, -2.3), 8);
    const s = Math.sqrt(z);
    expect(hypergeometric2F1(0.5, 0.5, 1.5, z)).toBeCloseTo(Math.asin(s) / s, 10);
  });

  it.each([
    [0.243, 2.426, 3.219, 0.8],
    [3.1, 0.7, 4.6, 0.9],
    [1.45, 0.31, 1.21, 0.75],
    [2.5, -0.2, 5.3, 0.97],
  ])('should match the brute-force series for 2F1(%p, %p; %p; %p)', (a, b, c, z) => {
    const expected = bruteForce(a, b, c, z);
    expect(Math.abs(hypergeometric2F1(a, b, c, z) / expected - 1)).toBeLessThan(1e-9);
  });

  it('should stay accurate when c - a - b is (nearly) an integer', () => {
    // c - a - b = 1 and = 0 exactly: the two halves of the 1 - z transformation have cancelling poles.
    expect(hypergeometric2F1(1, 1, 3, 0.9) / bruteForce(1, 1, 3, 0.9) - 1).toBeLessThan(1e-8);
    expect(hypergeometric2F1(1, 1, 2, 0.9)).toBeCloseTo(-Math.log(0.1) / 0.9, 8);
    expect(
      hypergeometric2F1(0.5, 1.5, 3.0000001, 0.8) / bruteForce(0.5, 1.5, 3.0000001, 0.8) - 1,
    ).toBeLessThan(1e-8);
  });

  it('should be a polynomial when a is a non-positive integer', () => {
    expect(hypergeometric2F1(-2, 1, 1, 0.9)).toBeCloseTo(Math.pow(1 - 0.9, 2), 12);
  });

  it('should refuse z outside (-1, 1)', () => {
    expect(() => hypergeometric2F1(1, 1, 2, 1)).toThrow(RangeError);
  });
});
