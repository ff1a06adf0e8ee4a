export interface NelderMeadOptions {
  /** Initial step along each axis. */
  readonly step?: number;
  readonly maxEvaluations?: number;
  /** Stop when the simplex's values differ by less than this (absolute). */
  readonly tolerance?: number;
}

export interface Minimum {
  readonly point: number[];
  readonly value: number;
  readonly evaluations: number;
}

/**
 * Minimises f by the Nelder–Mead simplex method with the standard coefficients (reflection 1,
 * expansion 2, contraction 0.5, shrink 0.5). Derivative-free, so it copes with the flat ridges a
 * likelihood has when a parameter is poorly identified.
 */
export function nelderMead(
  f: (p: number[]) => number,
  start: number[],
  options: NelderMeadOptions = {},
): Minimum {
  const { step = 0.5, maxEvaluations = 4000, tolerance = 1e-9 } = options;
  const n = start.length;
  let evaluations = 0;
  const evaluate = (p: number[]) => {
    evaluations++;
    const value = f(p);
    return Number.isFinite(value) ? value : Infinity;
  };
  const simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))].map((p) => ({
    p,
    v: evaluate(p),
  }));
  const along = (from: number[], to: number[], t: number) => from.map((v, i) => v + t * (to[i] - v));
  while (evaluations < maxEvaluations) {
    simplex.sort((p, q) => p.v - q.v);
    const best = simplex[0];
    const worst = simplex[n];
    if (Math.abs(worst.v - best.v) <= tolerance * (1 + Math.abs(best.v))) break;
    const centroid = start.map((_, i) => simplex.slice(0, n).reduce((sum, s) => sum + s.p[i], 0) / n);
    const reflected = along(centroid, worst.p, -1);
    const reflectedValue = evaluate(reflected);
    if (reflectedValue < best.v) {
      const expanded = along(centroid, worst.p, -2);
      const expandedValue = evaluate(expanded);
      simplex[n] =
        expandedValue < reflectedValue
          ? { p: expanded, v: expandedValue }
          : { p: reflected, v: reflectedValue };
    } else if (reflectedValue < simplex[n - 1].v) {
      simplex[n] = { p: reflected, v: reflectedValue };
    } else {
      const outside = reflectedValue < worst.v;
      const contracted = along(centroid, outside ? reflected : worst.p, 0.5);
      const contractedValue = evaluate(contracted);
      if (contractedValue < (outside ? reflectedValue : worst.v)) {
        simplex[n] = { p: contracted, v: contractedValue };
      } else {
        for (let i = 1; i <= n; i++) {
          const shrunk = along(best.p, simplex[i].p, 0.5);
          simplex[i] = { p: shrunk, v: evaluate(shrunk) };
        }
      }
    }
  }
  simplex.sort((p, q) => p.v - q.v);
  return { point: simplex[0].p, value: simplex[0].v, evaluations };
}
