import { ALWAYS_OPEN, workingTimeOf } from './business-calendar';
import {
  breachTimer,
  cancelTimer,
  deadlineAt,
  meetTimer,
  pauseTimer,
  resumeTimer,
  retimeTimer,
  startTimer,
  timerOutcome,
  type SlaTimer,
} from './sla-timer';

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

  it('should not count a timer within SLA when it was breached, even met before its target', () => {
    // Breached by an instance whose clock ran two minutes fast, then met on one whose clock is right.
    const timer = startTimer('acknowledgement', at('2026-05-01T10:00:00Z'), 60, ALWAYS_OPEN);
    const breachedEarly = breachTimer(timer, at('2026-05-01T10:58:00Z'));
    const met = meetTimer(breachedEarly, at('2026-05-01T10:59:00Z'), ALWAYS_OPEN);
    expect(timerOutcome(met)).toEqual({ withinSla: false, differenceMinutes: -1 });
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

  it('should give a running timer’s target as its deadline, and a met or cancelled one’s last', () => {
    const timer = startTimer('resolution', at('2026-05-01T10:00:00Z'), 240, ALWAYS_OPEN);
    const later = at('2026-05-01T13:00:00Z');
    expect(deadlineAt(timer, later, ALWAYS_OPEN)).toEqual(at('2026-05-01T14:00:00Z'));
    const moved = resumeTimer(pauseTimer(timer, at('2026-05-01T11:00:00Z'), ALWAYS_OPEN), later, ALWAYS_OPEN);
    expect(deadlineAt(meetTimer(moved, later, ALWAYS_OPEN), later, ALWAYS_OPEN)).toEqual(
      at('2026-05-01T16:00:00Z'),
    );
    expect(deadlineAt(cancelTimer(moved), at('2026-05-09T00:00:00Z'), ALWAYS_OPEN)).toEqual(
      at('2026-05-01T16:00:00Z'),
    );
  });

  it('should give a paused timer the deadline it would have if its clock started again then', () => {
    // Friday 10:00 CEST (08:00 UTC) + 6 working hours; paused at 12:00 CEST with 4 h left.
    const paused = pauseTimer(
      startTimer('resolution', at('2026-05-01T08:00:00Z'), 360, OFFICE),
      at('2026-05-01T10:00:00Z'),
      OFFICE,
    );
    // Asked on Saturday: the office opens again on Monday at 09:00 CEST, 4 working hours from then.
    expect(deadlineAt(paused, at('2026-05-02T12:00:00Z'), OFFICE)).toEqual(at('2026-05-04T11:00:00Z'));
    expect(paused.targetAt).toEqual(at('2026-05-01T14:00:00Z'));
    // A breach stands: paused after it, the timer keeps the target it missed.
    const breached = breachTimer(
      startTimer('resolution', at('2026-05-01T10:00:00Z'), 60, ALWAYS_OPEN),
      at('2026-05-01T11:00:00Z'),
    );
    const pausedAfterBreach = pauseTimer(breached, at('2026-05-01T12:00:00Z'), ALWAYS_OPEN);
    expect(deadlineAt(pausedAfterBreach, at('2026-05-02T12:00:00Z'), ALWAYS_OPEN)).toEqual(
      at('2026-05-01T11:00:00Z'),
    );
  });

  it('should keep a timer past its target running when paused before the scanner breached it', () => {
    const timer = startTimer('resolution', at('2026-05-01T10:00:00Z'), 60, ALWAYS_OPEN);
    const paused = pauseTimer(timer, at('2026-05-01T11:00:03Z'), ALWAYS_OPEN);
    expect(paused).toEqual(timer);
    const met = meetTimer(paused, at('2026-05-02T09:00:00Z'), ALWAYS_OPEN);
    expect(timerOutcome(met)).toEqual({ withinSla: false, differenceMinutes: 1320 });
  });
  describe('in a calendar open two hours a week', () => {
    // Mondays 09:00-11:00 in Amsterdam: the low policy's week of working time takes 84 Mondays.
    const MONDAYS = workingTimeOf({
      timeZone: 'Europe/Amsterdam',
      hours: { mon: { opens: '09:00', closes: '11:00' } },
      holidays: [],
    });
    const WEEK = 7 * 24 * 60;
    const friday = at('2026-05-01T10:00:00Z');

    it('should start a week-long timer, and give it the deadline left when paused', () => {
      const timer = startTimer('resolution', friday, WEEK, MONDAYS);
      expect(timer.targetAt).toEqual(at('2027-12-06T10:00:00Z'));
      // Paused on the first Monday at 09:30 CEST, half an hour used; asked on Tuesday.
      const paused = pauseTimer(timer, at('2026-05-04T07:30:00Z'), MONDAYS);
      expect(paused).toMatchObject({ state: 'paused', remainingMinutes: WEEK - 30 });
      expect(deadlineAt(paused, at('2026-05-05T12:00:00Z'), MONDAYS)).toEqual(at('2027-12-13T09:30:00Z'));
    });

    it('should re-time a timer to a week-long target', () => {
      const medium = { minutes: 72 * 60, time: MONDAYS };
      const timer = startTimer('resolution', friday, medium.minutes, MONDAYS);
      const retimed = retimeTimer(timer, friday, medium, { minutes: WEEK, time: MONDAYS }, friday);
      expect(retimed).toMatchObject({ state: 'running', targetAt: at('2027-12-06T10:00:00Z') });
    });
  });

  describe('under another policy', () => {
    const start = at('2026-05-01T10:00:00Z');
    const medium = { minutes: 72 * 60, time: ALWAYS_OPEN };

    it('should take the new target from the timer’s start, due at once when that has passed', () => {
      const timer = startTimer('resolution', start, medium.minutes, ALWAYS_OPEN);
      const now = at('2026-05-01T12:00:00Z');
      expect(retimeTimer(timer, start, medium, { minutes: 240, time: ALWAYS_OPEN }, now)).toEqual({
        ...timer,
        targetAt: at('2026-05-01T14:00:00Z'),
      });
      expect(retimeTimer(timer, start, medium, { minutes: 15, time: ALWAYS_OPEN }, now)).toEqual({
        ...timer,
        targetAt: at('2026-05-01T10:15:00Z'),
      });
    });

    it('should keep the time the clock stood still awaiting the guest out of the new target', () => {
      // Paused at 11:00 with an hour used; reclassified at 13:00, two hours into the wait.
      const paused = pauseTimer(
        startTimer('resolution', start, 240, ALWAYS_OPEN),
        at('2026-05-01T11:00:00Z'),
        ALWAYS_OPEN,
      );
      const was = { minutes: 240, time: ALWAYS_OPEN };
      const now = at('2026-05-01T13:00:00Z');
      expect(retimeTimer(paused, start, was, { minutes: 24 * 60, time: ALWAYS_OPEN }, now)).toMatchObject({
        state: 'paused',
        remainingMinutes: 23 * 60,
        targetAt: at('2026-05-02T12:00:00Z'),
      });
      // Resumed, then reclassified: the two hours waited still do not count.
      const resumed = resumeTimer(paused, now, ALWAYS_OPEN);
      expect(retimeTimer(resumed, start, was, { minutes: 24 * 60, time: ALWAYS_OPEN }, now)).toMatchObject({
        state: 'running',
        targetAt: at('2026-05-02T12:00:00Z'),
      });
      // Thirty minutes of the new policy were used up before the pause: it runs on, to be breached.
      expect(retimeTimer(paused, start, was, { minutes: 30, time: ALWAYS_OPEN }, now)).toMatchObject({
        state: 'running',
        remainingMinutes: null,
        targetAt: at('2026-05-01T12:30:00Z'),
      });
    });

    it('should count the new target in the new policy’s working time, from the timer’s start', () => {
      // Opened Friday 16:00 CEST under business hours (4 working hours: Monday 12:00); reclassified Monday
      // 10:00 to a round-the-clock 4 hours, which ran out on Friday at 20:00.
      const friday = at('2026-05-01T14:00:00Z');
      const timer = startTimer('acknowledgement', friday, 240, OFFICE);
      expect(timer.targetAt).toEqual(at('2026-05-04T10:00:00Z'));
      const retimed = retimeTimer(
        timer,
        friday,
        { minutes: 240, time: OFFICE },
        { minutes: 240, time: ALWAYS_OPEN },
        at('2026-05-04T08:00:00Z'),
      );
      expect(retimed).toMatchObject({ state: 'running', targetAt: at('2026-05-01T18:00:00Z') });
    });

    describe('between business hours and round the clock', () => {
      // Opened Friday 10:00 CEST (08:00 UTC); awaiting the guest from Friday 12:00 CEST to Monday 09:00 CEST:
      // 5 working hours of the office (Friday afternoon), 69 hours of the clock.
      const friday = at('2026-05-01T08:00:00Z');
      const awaitedFrom = at('2026-05-01T10:00:00Z');
      const answered = at('2026-05-04T07:00:00Z');
      const reclassified = at('2026-05-04T08:00:00Z');
      const office = { minutes: 360, time: OFFICE };

      it('should count a weekend awaiting the guest in the clock’s minutes once the policy runs round the clock', () => {
        const timer = resumeTimer(
          pauseTimer(startTimer('resolution', friday, 360, OFFICE), awaitedFrom, OFFICE),
          answered,
          OFFICE,
        );
        expect(timer.waits).toEqual([{ from: awaitedFrom.toISOString(), to: answered.toISOString() }]);
        // 8 hours round the clock, plus the 69 hours waited: Monday 13:00 UTC, not Friday 16:00.
        expect(
          retimeTimer(timer, friday, office, { minutes: 480, time: ALWAYS_OPEN }, reclassified),
        ).toMatchObject({ state: 'running', targetAt: at('2026-05-04T13:00:00Z') });
      });

      it('should count the clock’s wait in the office’s working minutes once the policy keeps business hours', () => {
        // Opened round the clock, 72 hours; still awaiting the guest when reclassified to 6 office hours on
        // Monday 10:00 CEST. The office counts 6 hours of the wait (Friday afternoon and Monday's first
        // hour), not the 70 of the clock: 2 hours used, 4 left.
        const timer = pauseTimer(
          startTimer('resolution', friday, 72 * 60, ALWAYS_OPEN),
          awaitedFrom,
          ALWAYS_OPEN,
        );
        const retimed = retimeTimer(
          timer,
          friday,
          { minutes: 72 * 60, time: ALWAYS_OPEN },
          office,
          reclassified,
        );
        expect(retimed).toMatchObject({ state: 'paused', remainingMinutes: 240 });
        expect(deadlineAt(retimed as SlaTimer, reclassified, OFFICE)).toEqual(at('2026-05-04T12:00:00Z'));
      });

      it('should count the wait as the timer counted it when its waits are not kept or not its own', () => {
        const paused = pauseTimer(startTimer('resolution', friday, 360, OFFICE), awaitedFrom, OFFICE);
        const resumed = resumeTimer(paused, answered, OFFICE);
        // The 5 office hours waited, carried over as 5 hours of the clock: 13 hours from Friday 10:00 CEST.
        const asCounted = at('2026-05-01T21:00:00Z');
        const roundTheClock = { minutes: 480, time: ALWAYS_OPEN };
        // Stored before waits were kept.
        expect(
          retimeTimer({ ...resumed, waits: null }, friday, office, roundTheClock, reclassified),
        ).toMatchObject({
          targetAt: asCounted,
        });
        // Resumed by an instance that keeps none: its wait is still open while the timer runs.
        expect(
          retimeTimer({ ...resumed, waits: paused.waits }, friday, office, roundTheClock, reclassified),
        ).toMatchObject({
          targetAt: asCounted,
        });
      });
    });

    it('should leave a timer whose target passed, breached or not yet, and one done or cancelled', () => {
      const timer = startTimer('acknowledgement', start, 240, ALWAYS_OPEN);
      const was = { minutes: 240, time: ALWAYS_OPEN };
      const low = { minutes: 24 * 60, time: ALWAYS_OPEN };
      const late = at('2026-05-01T14:00:01Z');
      expect(retimeTimer(timer, start, was, low, late)).toBeNull();
      const breached = breachTimer(timer, late);
      expect(retimeTimer(breached, start, was, low, late)).toBeNull();
      const pausedAfterBreach = pauseTimer(breached, late, ALWAYS_OPEN);
      expect(retimeTimer(pausedAfterBreach, start, was, low, late)).toBeNull();
      const early = at('2026-05-01T11:00:00Z');
      expect(retimeTimer(meetTimer(timer, early, ALWAYS_OPEN), start, was, low, early)).toBeNull();
      expect(retimeTimer(cancelTimer(timer), start, was, low, early)).toBeNull();
    });
  });
});
