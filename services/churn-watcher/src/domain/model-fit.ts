import { FIT_LOG_BOUND, type BgNbdParameters } from '@loyalty/lifetime';

// `fitBgNbd` does not say whether its search stopped at a bound; a parameter this close to it did.
const EDGE = 0.5;

/**
 * Whether the fit's visit rates stand on the data. With (almost) no repeat visits the likelihood keeps
 * rising towards r → 0, α → ∞: the fit ends at the bounds with an expected interval of millennia, and no
 * guest scored by it would ever lapse. r at the upper bound is the other limit, guests who all keep one
 * cadence (rates with no spread): the rate r/α is still told by the data, so that fit stands whatever α.
 * The dropout pair (a, b) at a bound means no dropout seen or one dropout chance for everyone, both
 * usable, so it is not judged.
 */
export function isIdentifiedFit(parameters: BgNbdParameters, meanAgeDays: number): boolean {
  const logR = Math.log(parameters.r);
  const logAlpha = Math.log(parameters.alpha / (meanAgeDays || 1));
  if (!Number.isFinite(logR) || !Number.isFinite(logAlpha)) return false;
  const edge = FIT_LOG_BOUND - EDGE;
  if (logR <= -edge) return false;
  return logR >= edge || Math.abs(logAlpha) < edge;
}
