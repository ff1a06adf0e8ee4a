import { ChurnTally, renderChurn, scoreAlerts } from './churn-summary';

describe('churn summary', () => {
  it('should count alerts and returns, and score the alerted guests against the planted ones', () => {
    const tally = new ChurnTally();
    tally.add('visit-frequency-dropped', { guestId: 'g1' });
    tally.add('visit-frequency-dropped', { guestId: 'g2' });
    tally.add('visit-frequency-restored', { guestId: 'g2' });
    const alerts = tally.alerts();
    expect(alerts).toEqual({ raised: 2, restored: 1, alertedGuests: ['g1', 'g2'] });
    expect(scoreAlerts(alerts, new Set(['g1', 'g3', 'g4', 'g5']))).toEqual({ precision: 0.5, recall: 0.25 });
  });

  it('should print the run, the offline evaluation and the baseline', () => {
    const score = { alerts: 10, truePositives: 9, precision: 0.9, recall: 0.85, medianDelayIntervals: 1.25 };
    const text = renderChurn({
      alerts: { raised: 2, restored: 1, alertedGuests: ['g1', 'g2'] },
      live: { precision: 0.5, recall: 0.25 },
      planted: 4,
      offline: {
        label: 'seed 7 over 730 days',
        report: {
          guests: 300,
          days: 730,
          plantedLapses: 30,
          model: score,
          baseline: { ...score, precision: 0.6 },
        },
      },
    }).join('\n');
    expect(text).toContain('2 alerts for 2 guests, 1 closed by a return stay');
    expect(text).toContain('precision 0.90  recall 0.85  median delay 1.25 intervals');
    expect(text).toMatch(/baseline: no stay in 180 days\s+precision 0.60/);
  });
});
