import type { WorkingTime } from './business-calendar';

export const TIMER_KINDS = ['acknowledgement', 'resolution', 'follow-up'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** A stretch the timer's clock stood still awaiting the guest, as instants: `to` is null while it lasts. */
export interface Wait {
  from: string;
  to: string | null;
}

/**
 * A deadline of a complaint. `running` timers fire when `targetAt` passes; a `paused` one keeps the
 * working minutes that were left and gets a new target when it resumes; `done` records when it was met.
 * `waits` keeps when the clock stood still, so that another policy's working time can count them; null on
 * a timer started before they were kept.
 */
export interface SlaTimer {
  kind: TimerKind;
  state: 'running' | 'paused' | 'done' | 'cancelled';
  targetAt: Date;
  remainingMinutes: number | null;
  metAt: Date | null;
  breachedAt: Date | null;
  waits: Wait[] | null;
}

export function startTimer(kind: TimerKind, now: Date, minutes: number, time: WorkingTime): SlaTimer {
  return {
    kind,
    state: 'running',
    targetAt: time.add(now, minutes),
    remainingMinutes: null,
    metAt: null,
    breachedAt: null,
    waits: [],
  };
}

/**
 * Stops the clock (awaiting the guest). A breached timer keeps its target: the breach stands. So does a
 * timer past its target that the scanner has not breached yet: it keeps running, to be breached, instead
 * of pausing with nothing left and counting as met when it resumes.
 */
export function pauseTimer(timer: SlaTimer, now: Date, time: WorkingTime): SlaTimer {
  if (timer.state !== 'running') return timer;
  if (!timer.breachedAt && now.getTime() >= timer.targetAt.getTime()) return timer;
  return {
    ...timer,
    state: 'paused',
    remainingMinutes: timer.breachedAt ? 0 : time.between(now, timer.targetAt),
    waits: timer.waits && [...timer.waits, { from: now.toISOString(), to: null }],
  };
}

export function resumeTimer(timer: SlaTimer, now: Date, time: WorkingTime): SlaTimer {
  if (timer.state !== 'paused') return timer;
  const targetAt = timer.breachedAt ? timer.targetAt : time.add(now, timer.remainingMinutes ?? 0);
  return { ...timer, state: 'running', targetAt, remainingMinutes: null, waits: endWait(timer.waits, now) };
}

function endWait(waits: Wait[] | null, now: Date): Wait[] | null {
  return waits && waits.map((wait) => (wait.to === null ? { ...wait, to: now.toISOString() } : wait));
}

/**
 * The timer's waits when they agree with its state: one still open exactly while it is paused. They do
 * not when an instance of the version before them paused or resumed it (it keeps no waits), and then
 * the wait is known only as the timer counted it.
 */
function knownWaits(timer: SlaTimer): Wait[] | null {
  if (!timer.waits) return null;
  const open = timer.waits.filter((wait) => wait.to === null).length;
  return open === (timer.state === 'paused' ? 1 : 0) ? timer.waits : null;
}

/**
 * When the timer is due as it stands at `now`: its target while it runs, its last once met or cancelled. A
 * paused timer has no target until its clock starts again: it gives the one it would get if resumed at `now`,
 * the earliest it can be due (the guest answering later moves it on); paused after a breach, the target it
 * missed, as on resuming.
 */
export function deadlineAt(timer: SlaTimer, now: Date, time: WorkingTime): Date {
  return resumeTimer(timer, now, time).targetAt;
}

/** The timer's goal was reached at `now` (a paused timer is resumed first, so its target is current). */
export function meetTimer(timer: SlaTimer, now: Date, time: WorkingTime): SlaTimer {
  if (timer.state === 'done' || timer.state === 'cancelled') return timer;
  return { ...resumeTimer(timer, now, time), state: 'done', metAt: now };
}

/** A policy's target for one timer: working minutes, counted in the working time the policy uses. */
export interface TimerTarget {
  minutes: number;
  time: WorkingTime;
}

/**
 * The live timer under another policy's target, once staff reclassify its complaint: as if it had run under
 * that policy from its start, plus the time it stood still awaiting the guest, counted in that policy's
 * working time (a weekend's wait is no business minutes, but two days of the clock). A running timer gets
 * that target, due at once when it has passed (breached on the next scan); a paused one keeps the working
 * minutes the target leaves, or, with none left, runs on to be breached, as a timer paused past its target
 * does. Null for a timer that keeps what it has: done or cancelled, or one whose target passed, breached or
 * not yet, as it is never within its SLA again.
 */
export function retimeTimer(
  timer: SlaTimer,
  startedAt: Date,
  was: TimerTarget,
  becomes: TimerTarget,
  now: Date,
): SlaTimer | null {
  if (timer.state !== 'running' && timer.state !== 'paused') return null;
  if (timer.breachedAt || (timer.state === 'running' && now >= timer.targetAt)) return null;
  const targetAt = becomes.time.add(
    startedAt,
    becomes.minutes + waitedIn(becomes, timer, startedAt, was, now),
  );
  if (timer.state === 'running' || now >= targetAt) {
    // A paused timer with no minutes left runs from now: its wait ends here.
    return { ...timer, state: 'running', targetAt, remainingMinutes: null, waits: endWait(timer.waits, now) };
  }
  return { ...timer, targetAt, remainingMinutes: becomes.time.between(now, targetAt) };
}

/**
 * How long the timer's clock stood still up to `now`, in `becomes`'s working time. Without its waits, the
 * time it did not use of what passed, in its own working time (`was`): exact only when both count alike.
 */
function waitedIn(
  becomes: TimerTarget,
  timer: SlaTimer,
  startedAt: Date,
  was: TimerTarget,
  now: Date,
): number {
  const waits = knownWaits(timer);
  if (waits) {
    return waits.reduce(
      (sum, wait) => sum + becomes.time.between(new Date(wait.from), wait.to ? new Date(wait.to) : now),
      0,
    );
  }
  const left =
    timer.state === 'paused' ? (timer.remainingMinutes ?? 0) : was.time.between(now, timer.targetAt);
  return Math.max(0, was.time.between(startedAt, now) - (was.minutes - left));
}

export function breachTimer(timer: SlaTimer, now: Date): SlaTimer {
  return { ...timer, breachedAt: now };
}

export function cancelTimer(timer: SlaTimer): SlaTimer {
  return timer.state === 'done' ? timer : { ...timer, state: 'cancelled' };
}

/**
 * Target, actual and the difference in minutes (negative: early) of a met timer. A breached timer is never
 * within its SLA, even met before its target: the breach was announced (`complaint-escalated`) and shows on
 * the complaint, and the instance whose clock decided it may have run ahead of the one meeting it.
 */
export function timerOutcome(timer: SlaTimer): { withinSla: boolean; differenceMinutes: number | null } {
  if (!timer.metAt) return { withinSla: timer.breachedAt === null, differenceMinutes: null };
  const differenceMinutes = Math.round((timer.metAt.getTime() - timer.targetAt.getTime()) / 60_000);
  return { withinSla: timer.breachedAt === null && timer.metAt <= timer.targetAt, differenceMinutes };
}
