import { simulate } from '@loyalty/simulator';
import { churnSection, ChurnTally, renderChurn, scoreAlerts } from './churn-summary';

describe('churn summary', () => {
  it('should count alerts and score the alerted guests against the planted ones when none was closed', () => {
    const tally = new ChurnTally();
    tally.add('visit-frequency-dropped', { guestId: 'g1', detectedAt: '2026-12-01T02:00:00Z' });
    tally.add('visit-frequency-dropped', { guestId: 'g3', detectedAt: '2026-12-01T02:00:00Z' });
    const alerts = tally.alerts();
    expect(alerts).toEqual({
      raised: 2,
      restored: 0,
      alertedGuests: ['g1', 'g3'],
      openAlerts: ['g1', 'g3'],
      mergedInto: {},
    });
    expect(scoreAlerts(alerts.openAlerts, new Set(['g1', 'g4', 'g5', 'g6']))).toEqual({
      precision: 0.5,
      recall: 0.25,
    });
  });

  it('should score only the alerts still open when a return stay or a merge closed the others', () => {
    const tally = new ChurnTally();
    tally.add('visit-frequency-dropped', { guestId: 'g1', detectedAt: '2026-12-01T02:00:00Z' });
    // Read before the drop it closes (the log is read partition by partition), yet detected after it.
    tally.add('visit-frequency-restored', { guestId: 'g2', restoredAt: '2026-12-02T09:30:00.125Z' });
    tally.add('visit-frequency-dropped', { guestId: 'g2', detectedAt: '2026-12-01T02:00:00Z' });
    // Back, then lapsing again: alerted anew.
    tally.add('visit-frequency-dropped', { guestId: 'g3', detectedAt: '2026-11-20T02:00:00Z' });
    tally.add('visit-frequency-restored', { guestId: 'g3', restoredAt: '2026-11-25T10:00:00Z' });
    tally.add('visit-frequency-dropped', { guestId: 'g3', detectedAt: '2026-12-01T02:00:00Z' });
    // The churn-watcher ends a merged-away profile's alert with the profile, and sends no return for it.
    tally.add('visit-frequency-dropped', { guestId: 'g4', detectedAt: '2026-12-01T02:00:00Z' });
    tally.add('guest-merged', { survivorId: 'g5', mergedId: 'g4', mergedAt: '2026-11-30T08:00:00Z' });
    const alerts = tally.alerts();
    expect(alerts).toMatchObject({
      raised: 5,
      restored: 2,
      openAlerts: ['g1', 'g3'],
      mergedInto: { g4: 'g5' },
    });
    expect(alerts.alertedGuests).toEqual(['g1', 'g2', 'g3', 'g4']);
    expect(scoreAlerts(alerts.openAlerts, new Set(['g1', 'g2', 'g3', 'g5']))).toEqual({
      precision: 1,
      recall: 0.5,
    });
  });

  const score = { alerts: 10, truePositives: 9, precision: 0.9, recall: 0.85, medianDelayIntervals: 1.25 };
  const section = {
    alerts: { raised: 2, restored: 1, alertedGuests: ['g1', 'g2'], openAlerts: ['g1'], mergedInto: {} },
    scoredAlerts: 1,
    live: { precision: 1, recall: 0.25 },
    planted: 4,
    plantedInSimulation: 5,
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
  };

  it('should print the run, the offline evaluation and the baseline', () => {
    const text = renderChurn(section).join('\n');
    expect(text).toContain(
      '2 alerts for 2 guests, 1 closed by a return stay, 1 still open (the ones scored)',
    );
    expect(text).toContain(
      "against this run's 4 planted lapsing guests: precision 1.00, recall 0.25 (judged on 2026-12-04, the last check-out 2026-12-01)",
    );
    expect(text).toContain('(of 5 planted, only those with a stay recorded in this run count)');
    expect(text).toContain('precision 0.90  recall 0.85  median delay 1.25 intervals');
    expect(text).toMatch(/baseline: no stay in 180 days\s+precision 0.60/);
  });

  it('should say how many of the open alerts were scored when some are on guests of earlier runs', () => {
    const alerts = {
      ...section.alerts,
      raised: 3,
      alertedGuests: ['g1', 'g2', 'g9'],
      openAlerts: ['g1', 'g9'],
    };
    const text = renderChurn({ ...section, alerts }).join('\n');
    expect(text).toContain(
      '1 closed by a return stay, 2 still open, 1 of them on guests with a stay recorded in this run (the ones scored)',
    );
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
    const guests = ['lapser-profile', 'regular-profile'];
    const alerts = { raised: 2, restored: 0, alertedGuests: guests, openAlerts: guests, mergedInto: {} };
    const section = churnSection(run, options, alerts, log, '2026-12-04');
    expect(section.live).toEqual({ precision: 0.5, recall: 1 });
    expect(section.judgedOn).toBe('2026-12-04');
    expect(section.lastCheckOut).toBe([...run.stays.map((stay) => stay.departure)].sort().pop());
    expect(run.lapses.length).toBeGreaterThan(1);
    expect({ planted: section.planted, inSimulation: section.plantedInSimulation }).toEqual({
      planted: 1,
      inSimulation: run.lapses.length,
    });
    expect(section.offline.label).toBe('seed 5, 80 guests, replayed over 730 days');
    expect(section.offline.report.days).toBe(730);
  });

  it('should score only the alerts on guests with a stay recorded in this run, not those of earlier runs', () => {
    const options = { seed: 5, guests: 80, days: 120, startDate: '2025-01-01' };
    const run = simulate(options);
    const lapser = run.stays.find((stay) => stay.guest.segment === 'lapsing');
    if (!lapser) throw new Error('the simulation should have a lapsing guest');
    const log = [
      {
        topic: 'p.stay-recorded',
        value: {
          data: {
            guestId: 'lapser-profile',
            propertyId: lapser.property.id,
            reservationId: lapser.reservationId,
          },
        },
      },
    ];
    // The run-now scan scores every guest in the churn-watcher's database, another seed's guests too.
    const guests = ['lapser-profile', 'guest-of-an-earlier-run'];
    const alerts = { raised: 2, restored: 0, alertedGuests: guests, openAlerts: guests, mergedInto: {} };
    const section = churnSection(run, options, alerts, log, '2026-12-04');
    expect({ scored: section.scoredAlerts, live: section.live }).toEqual({
      scored: 1,
      live: { precision: 1, recall: 1 },
    });
  });

  it('should count a planted guest once, on the surviving profile, when their stays were recorded under two merged profiles', () => {
    const options = { seed: 5, guests: 80, days: 120, startDate: '2025-01-01' };
    const run = simulate(options);
    const [first, second] = run.stays.filter((stay) => stay.guest.ref === run.lapses[0].guestRef);
    const recorded = (stay: typeof first, guestId: string) => ({
      topic: 'p.stay-recorded',
      value: { data: { guestId, propertyId: stay.property.id, reservationId: stay.reservationId } },
    });
    const log = [recorded(first, 'lapser-before-merge'), recorded(second, 'lapser-profile')];
    const alerts = {
      raised: 1,
      restored: 0,
      alertedGuests: ['lapser-profile'],
      openAlerts: ['lapser-profile'],
      mergedInto: { 'lapser-before-merge': 'lapser-profile' },
    };
    const section = churnSection(run, options, alerts, log, '2026-12-04');
    expect({ planted: section.planted, live: section.live }).toEqual({
      planted: 1,
      live: { precision: 1, recall: 1 },
    });
  });
});
