/**
 * Math's functions for the numeric hot loops (likelihoods evaluated over every customer for every step of
 * a fit, simulations of thousands of customers). Under jest, code runs in a sandbox whose global is looked
 * up the slow way: there a `Math.log` inside such a loop cost about 18 times the `log` bound here, and the
 * lookups, not the arithmetic, took most of a fit's time in the tests. In production it makes no difference.
 */
export const { exp, expm1, log, log1p, pow, sqrt } = Math;
