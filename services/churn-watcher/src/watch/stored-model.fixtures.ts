import { CHAIN_WIDE } from '../domain';
import type { StoredModel } from './model-store';

/** The chain-wide model of the unit tests: it expects a stay every 30 days of a guest with ten repeat stays over 300. */
export const MONTHLY_MODEL: StoredModel = {
  id: 1,
  segment: CHAIN_WIDE,
  parameters: { r: 3, alpha: 90, a: 0.3, b: 6 },
  logLikelihood: -100,
  guests: 1000,
  fittedAt: new Date('2031-01-01T03:00:00Z'),
};
