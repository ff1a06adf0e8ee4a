import type { RiskLine } from '@loyalty/lifetime';
import { ChurnWatcherConfig } from '../config/churn-watcher.config';

/** The configured risk line, injected wherever guests are judged. */
export const RISK_LINE = Symbol('RISK_LINE');

export const riskLineProvider = {
  provide: RISK_LINE,
  inject: [ChurnWatcherConfig],
  useFactory: (config: ChurnWatcherConfig): RiskLine => ({
    probabilityAliveBelow: config.CHURN_PROBABILITY_ALIVE_BELOW,
    intervalMultiple: config.CHURN_INTERVAL_MULTIPLE,
    minRepeatStays: config.CHURN_MIN_REPEAT_STAYS,
  }),
};
