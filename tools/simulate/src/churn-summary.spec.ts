import { simulate } from '@loyalty/simulator';
import { churnSection, ChurnTally, renderChurn, scoreAlerts } from './churn-summary';

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
      lastCheckOut: '2026-12-01',
      judgedOn: '2026-12-04',
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
    expect(text).toContain(
      "against this run's 4 planted lapsing guests: precision 0.50, recall 0.25 (judged on 2026-12-04, the last check-out 2026-12-01)",
    );
    expect(text).toContain('precision 0.90  recall 0.85  median delay 1.25 intervals');
    expect(text).toMatch(/baseline: no stay in 180 days\s+precision 0.60/);
  });
});

describe('churnSection', () => {
  it("should score the run's alerts against the planted lapsers found through the recorded stays", () => {
    const options = { seed: 5, guests: 80, days: 120, startDate: '2025-01-01' };
    const run = simulate(options);
    const lapser = run.stays.find((stay) => stay.guest.segment === 'lapsing');
    const regular = run.stays.find((stay) => stay.guest.segment === 'business');
    if (!lapser || !regular) throw new Error('the simulation should have a lapsing and a business guest');
    const recorded = (stay: typeof lapser, guestId: string) => ({
      topic: 'p.stay-recorded',
      value: { data: { guestId, propertyId: stay.property.id, reservationId: stay.reservationId } },
    });
    const log = [recorded(lapser, 'lapser-profile'), recorded(regular, 'regular-profile')];
    const alerts = { raised: 2, restored: 0, alertedGuests: ['lapser-profile', 'regular-profile'] };
    const section = churnSection(run, options, alerts, log, '2026-12-04');
    expect(section.live).toEqual({ precision: 0.5, recall: 1 });
    expect(section.judgedOn).toBe('2026-12-04');
    expect(section.lastCheckOut).toBe([...run.stays.map((stay) => stay.departure)].sort().pop());
    expect(section.planted).toBe(run.lapses.length);
    expect(section.offline.label).toBe('seed 5, 80 guests, replayed over 730 days');
    expect(section.offline.report.days).toBe(730);
  });
});
