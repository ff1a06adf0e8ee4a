import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  cancelTimer,
  deadlineAt,
  meetTimer,
  pauseTimer,
  resumeTimer,
  retimeTimer,
  startTimer,
  timerOutcome,
  type SlaPolicy,
  type SlaTimer,
  TIMER_KINDS,
  type TimerKind,
} from '../domain';
import { SlaCalendars } from './sla-calendars.service';
import { TimerStore, type StoredTimer } from './timer-store';

type TimerChange = 'meet' | 'pause' | 'resume' | 'cancel';

/** The timers an SLA policy sets targets for, with their minutes in it (the follow-up is no policy's). */
const POLICY_TARGETS: [TimerKind, (policy: SlaPolicy) => number][] = [
  ['acknowledgement', (policy) => policy.acknowledgeWithinMinutes],
  ['resolution', (policy) => policy.resolveWithinMinutes],
];

/** Starts and moves a complaint's durable SLA timers, each counting in its own working time. */
@Injectable()
export class SlaTimers {
  constructor(
    private readonly store: TimerStore,
    private readonly calendars: SlaCalendars,
  ) {}

  /** Starts the acknowledgement and resolution timers of a new complaint under its policy. */
  async startFor(
    manager: EntityManager,
    complaint: { id: string; propertyId: string },
    policy: SlaPolicy,
    now: Date,
  ): Promise<{ acknowledgeBy: Date; resolveBy: Date }> {
    const acknowledgement = await this.start(
      manager,
      complaint,
      'acknowledgement',
      policy.acknowledgeWithinMinutes,
      policy.businessHours,
      now,
    );
    const resolution = await this.startResolution(manager, complaint, policy, now);
    return { acknowledgeBy: acknowledgement.targetAt, resolveBy: resolution.targetAt };
  }

  /** The resolution clock under the policy's target: at opening, and again when the guest reopens it. */
  async startResolution(
    manager: EntityManager,
    complaint: { id: string; propertyId: string },
    policy: SlaPolicy,
    now: Date,
  ): Promise<StoredTimer> {
    return this.start(
      manager,
      complaint,
      'resolution',
      policy.resolveWithinMinutes,
      policy.businessHours,
      now,
    );
  }

  async start(
    manager: EntityManager,
    complaint: { id: string; propertyId: string },
    kind: TimerKind,
    minutes: number,
    businessHours: boolean,
    now: Date,
  ): Promise<StoredTimer> {
    const time = await this.calendars.workingTime(manager, complaint.propertyId, businessHours);
    const timer: StoredTimer = {
      ...startTimer(kind, now, minutes, time),
      id: randomUUID(),
      complaintId: complaint.id,
      businessHours,
      startedAt: now,
    };
    await this.store.save(manager, timer);
    return timer;
  }

  /**
   * Applies a change to the complaint's live timer of a kind and returns whether it was within its SLA
   * (true when there is no such timer: nothing was due).
   */
  async change(
    manager: EntityManager,
    complaint: { id: string; propertyId: string },
    kind: TimerKind,
    change: TimerChange,
    now: Date,
  ): Promise<boolean> {
    const timer = await this.store.live(manager, complaint.id, kind);
    if (!timer) return true;
    const time = await this.calendars.workingTime(manager, complaint.propertyId, timer.businessHours);
    const next: Record<TimerChange, (current: SlaTimer) => SlaTimer> = {
      meet: (current) => meetTimer(current, now, time),
      pause: (current) => pauseTimer(current, now, time),
      resume: (current) => resumeTimer(current, now, time),
      cancel: cancelTimer,
    };
    const changed = { ...timer, ...next[change](timer) };
    await this.store.save(manager, changed);
    return timerOutcome(changed).withinSla;
  }

  /**
   * Moves the complaint's live policy timers from the targets of the policy it was under to those of the one
   * it is now under (`retimeTimer`): each then counts in the new policy's working time.
   */
  async retime(
    manager: EntityManager,
    complaint: { id: string; propertyId: string },
    from: SlaPolicy,
    to: SlaPolicy,
    now: Date,
  ): Promise<void> {
    const time = await this.calendars.workingTime(manager, complaint.propertyId, to.businessHours);
    for (const [kind, minutesIn] of POLICY_TARGETS) {
      const timer = await this.store.live(manager, complaint.id, kind);
      if (!timer) continue;
      const was = {
        minutes: minutesIn(from),
        time: await this.calendars.workingTime(manager, complaint.propertyId, timer.businessHours),
      };
      const retimed = retimeTimer(timer, timer.startedAt, was, { minutes: minutesIn(to), time }, now);
      if (retimed) await this.store.save(manager, { ...timer, ...retimed, businessHours: to.businessHours });
    }
  }

  /** When the timer is due as it stands at `now` (`deadlineAt`), counted in its own working time. */
  async deadline(
    manager: EntityManager,
    complaint: { propertyId: string },
    timer: StoredTimer,
    now: Date,
  ): Promise<Date> {
    const time = await this.calendars.workingTime(manager, complaint.propertyId, timer.businessHours);
    return deadlineAt(timer, now, time);
  }

  /**
   * The complaint's deadlines as they stand at `now` (`deadline`): its latest resolution timer's, and its
   * acknowledgement timer's while that is live (not met yet).
   */
  async deadlines(
    manager: EntityManager,
    complaint: { id: string; propertyId: string },
    now: Date,
  ): Promise<{ acknowledgeBy?: Date; resolveBy: Date }> {
    const resolution = await this.store.latest(manager, complaint.id, 'resolution');
    // Every complaint gets one when it is opened or taken up again.
    if (!resolution) throw new Error(`complaint ${complaint.id} has no resolution timer`);
    const acknowledgement = await this.store.live(manager, complaint.id, 'acknowledgement');
    return {
      resolveBy: await this.deadline(manager, complaint, resolution, now),
      ...(acknowledgement && {
        acknowledgeBy: await this.deadline(manager, complaint, acknowledgement, now),
      }),
    };
  }

  async cancelAll(
    manager: EntityManager,
    complaint: { id: string; propertyId: string },
    now: Date,
  ): Promise<void> {
    for (const kind of TIMER_KINDS) {
      await this.change(manager, complaint, kind, 'cancel', now);
    }
  }
}
