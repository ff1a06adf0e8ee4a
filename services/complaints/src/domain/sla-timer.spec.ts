import { ALWAYS_OPEN, workingTimeOf } from './business-calendar';
import { breachTimer, meetTimer, pauseTimer, resumeTimer, startTimer, timerOutcome } from './sla-timer';

const at = (iso: string) => new Date(iso);
const OFFICE = workingTimeOf({
  timeZone: 'Europe/Amsterdam',
  hours: { mon: { opens: '09:00', closes: '17:00' }, fri: { opens: '09:00', closes: '17:00' } },
  holidays: [],
});

describe('SLA timers', () => {
  it('should stop the clock while awaiting the guest and add the time paused to the target', () => {
    const timer = startTimer('resolution', at('2026-05-01T10:00:00Z'), 240, ALWAYS_OPEN);
    expect(timer.targetAt).toEqual(at('2026-05-01T14:00:00Z'));
    const paused = pauseTimer(timer, at('2026-05-01T11:00:00Z'), ALWAYS_OPEN);
    expect(paused).toMatchObject({ state: 'paused', remainingMinutes: 180 });
    const resumed = resumeTimer(paused, at('2026-05-02T09:00:00Z'), ALWAYS_OPEN);
    expect(resumed).toMatchObject({
      state: 'running',
      targetAt: at('2026-05-02T12:00:00Z'),
      remainingMinutes: null,
    });
  });

  it('should keep the working minutes left over a weekend pause in business hours', () => {
    // Friday 10:00 CEST (08:00 UTC) + 6 working hours; paused at 12:00 CEST with 4 h left; resumed Monday 09:00.
    const timer = startTimer('resolution', at('2026-05-01T08:00:00Z'), 360, OFFICE);
    const paused = pauseTimer(timer, at('2026-05-01T10:00:00Z'), OFFICE);
    expect(paused.remainingMinutes).toBe(240);
    expect(resumeTimer(paused, at('2026-05-04T07:00:00Z'), OFFICE).targetAt).toEqual(
      at('2026-05-04T11:00:00Z'),
    );
  });

  it('should record target, actual and the difference when met, early or late', () => {
    const timer = startTimer('acknowledgement', at('2026-05-01T10:00:00Z'), 60, ALWAYS_OPEN);
    const early = meetTimer(timer, at('2026-05-01T10:45:00Z'), ALWAYS_OPEN);
    expect(early).toMatchObject({ state: 'done', metAt: at('2026-05-01T10:45:00Z') });
    expect(timerOutcome(early)).toEqual({ withinSla: true, differenceMinutes: -15 });
    const late = meetTimer(
      breachTimer(timer, at('2026-05-01T11:00:05Z')),
      at('2026-05-01T11:30:00Z'),
      ALWAYS_OPEN,
    );
    expect(timerOutcome(late)).toEqual({ withinSla: false, differenceMinutes: 30 });
  });

  it('should meet a paused timer against the target it would have after resuming', () => {
    const timer = startTimer('resolution', at('2026-05-01T10:00:00Z'), 120, ALWAYS_OPEN);
    const paused = pauseTimer(timer, at('2026-05-01T11:00:00Z'), ALWAYS_OPEN);
    const met = meetTimer(paused, at('2026-05-03T10:00:00Z'), ALWAYS_OPEN);
    expect(timerOutcome(met)).toEqual({ withinSla: true, differenceMinutes: -60 });
  });

  it('should not move the target of a breached timer when it is paused and resumed', () => {
    const breached = breachTimer(
      startTimer('resolution', at('2026-05-01T10:00:00Z'), 60, ALWAYS_OPEN),
      at('2026-05-01T11:00:00Z'),
    );
    const resumed = resumeTimer(
      pauseTimer(breached, at('2026-05-01T12:00:00Z'), ALWAYS_OPEN),
      at('2026-05-02T12:00:00Z'),
      ALWAYS_OPEN,
    );
    expect(resumed.targetAt).toEqual(at('2026-05-01T11:00:00Z'));
    expect(timerOutcome(resumed).withinSla).toBe(false);
  });

  it('should keep a timer past its target running when paused before the scanner breached it', () => {
    const timer = startTimer('resolution', at('2026-05-01T10:00:00Z'), 60, ALWAYS_OPEN);
    const paused = pauseTimer(timer, at('2026-05-01T11:00:03Z'), ALWAYS_OPEN);
    expect(paused).toEqual(timer);
    const met = meetTimer(paused, at('2026-05-02T09:00:00Z'), ALWAYS_OPEN);
    expect(timerOutcome(met)).toEqual({ withinSla: false, differenceMinutes: 1320 });
  });
});
