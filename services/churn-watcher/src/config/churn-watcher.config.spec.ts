import { loadConfig } from '@loyalty/config';
import { ChurnWatcherConfig } from './churn-watcher.config';

describe('ChurnWatcherConfig', () => {
  it('should read the risk line from the environment', () => {
    const config = loadConfig(ChurnWatcherConfig, {
      CHURN_INTERVAL_MULTIPLE: '2.5',
      CHURN_MIN_REPEAT_STAYS: '3',
    });
    expect(config).toMatchObject({
      CHURN_INTERVAL_MULTIPLE: 2.5,
      CHURN_MIN_REPEAT_STAYS: 3,
      CHURN_PROBABILITY_ALIVE_BELOW: 0.2,
    });
  });

  it('should refuse a value out of range, naming the variable', () => {
    expect(() => loadConfig(ChurnWatcherConfig, { CHURN_PROBABILITY_ALIVE_BELOW: '1.5' })).toThrow(
      'CHURN_PROBABILITY_ALIVE_BELOW must be a number between 0 and 1',
    );
    expect(() => loadConfig(ChurnWatcherConfig, { CHURN_MIN_REPEAT_STAYS: '2.5' })).toThrow(
      'CHURN_MIN_REPEAT_STAYS must be a whole number between 1 and 100',
    );
  });
});
