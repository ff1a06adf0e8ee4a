import { CHAIN_WIDE } from '../domain';
import type { Episode } from './episode-store';
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

/** The guest of the unit tests' lapse. */
export const LAPSED_GUEST = '6f1c2b1e-0000-4000-8000-000000000001';

/** Alerted on 2031-03-30 for `LAPSED_GUEST`, last seen on 2031-01-30. */
export const LAPSE: Episode = {
  id: '6f1c2b1e-0000-4000-8000-0000000000e1',
  guestId: LAPSED_GUEST,
  riskLevel: 'elevated',
  evidence: {
    expectedIntervalDays: 20,
    daysSinceLastStay: 59,
    lastDeparture: '2031-01-30',
    probabilityAlive: 0.1,
    recentSignals: [],
  },
  modelId: 1,
  openedAt: new Date('2031-03-30T03:00:00Z'),
};
