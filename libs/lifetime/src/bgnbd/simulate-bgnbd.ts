import { SeededRandom } from '@loyalty/simulator';
import { customerColumns, type BgNbdParameters, type CustomerColumns } from './parameters';

/**
 * Customers drawn from the BG/NBD story itself: a rate λ ~ Gamma(r, α) and a dropout probability
 * p ~ Beta(a, b) each; Poisson transactions at rate λ from time 0; after each repeat transaction the
 * customer leaves for good with probability p. Ground truth for parameter recovery and benchmarks.
 */
export function simulateBgNbd(
  p: BgNbdParameters,
  ages: readonly number[] | Float64Array,
  seed: number,
): CustomerColumns {
  const random = new SeededRandom(seed);
  const customers = customerColumns(ages.length);
  for (let i = 0; i < ages.length; i++) {
    const rate = gamma(random, p.r) / p.alpha;
    const ga = gamma(random, p.a);
    const dropout = ga / (ga + gamma(random, p.b));
    let time = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      time += -Math.log(1 - random.next()) / rate;
      if (time > ages[i]) break;
      x++;
      tx = time;
      if (random.chance(dropout)) break;
    }
    customers.frequency[i] = x;
    customers.recency[i] = tx;
    customers.T[i] = ages[i];
  }
  return customers;
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shapes below 1 through Gamma(shape + 1) · U^(1/shape). */
function gamma(random: SeededRandom, shape: number): number {
  if (shape < 1) return gamma(random, shape + 1) * Math.pow(1 - random.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = random.normal(0, 1);
    const v = Math.pow(1 + c * z, 3);
    if (v <= 0) continue;
    const u = 1 - random.next();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}
