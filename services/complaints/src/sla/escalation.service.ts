import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@loyalty/contracts';
import {
  assertActive,
  assertStillAtLevel,
  breachTimer,
  MAX_ESCALATION_LEVEL,
  nextEscalationLevel,
  notifiedRoleFor,
} from '../domain';
import type { Announce } from '../complaints/announce';
import { ComplaintHistory } from '../complaints/complaint-history';
import { SYSTEM_ACTOR, type Actor, type ComplaintRecord } from '../complaints/complaint-record';
import { ComplaintStore } from '../complaints/complaint-store';
import { TimerStore, type StoredTimer } from './timer-store';

type Reason = EventData<'complaint-escalated'>['reason'];

/** Moves complaints up a level, on a breached SLA timer or at staff's request, telling the owner's manager. */
@Injectable()
export class Escalation {
  constructor(
    private readonly complaints: ComplaintStore,
    private readonly timers: TimerStore,
    private readonly history: ComplaintHistory,
  ) {}

  /** An acknowledgement or resolution timer ran out: record the breach and escalate (up to the top level). */
  async breach(manager: EntityManager, timer: StoredTimer, announce: Announce, now: Date): Promise<void> {
    await this.timers.save(manager, { ...timer, ...breachTimer(timer, now) });
    const complaint = await this.complaints.get(manager, timer.complaintId);
    const breachedTimer = timer.kind === 'acknowledgement' ? 'acknowledgement' : 'resolution';
    if (complaint.escalationLevel >= MAX_ESCALATION_LEVEL) {
      // Nothing on the complaint changes at the top level; the audit line records the breach itself.
      const breach = { before: complaint, after: complaint, actor: SYSTEM_ACTOR, at: now };
      await this.history.save(manager, { ...breach, action: `${breachedTimer}-sla-breached` });
      return;
    }
    await this.raise(manager, complaint, 'sla-breached', SYSTEM_ACTOR, announce, now, breachedTimer);
  }

  async escalate(
    manager: EntityManager,
    complaintId: string,
    request: { reason: Exclude<Reason, 'sla-breached'>; fromLevel?: number },
    actor: Actor,
    announce: Announce,
    now: Date,
  ): Promise<ComplaintRecord> {
    const complaint = await this.complaints.lock(manager, complaintId);
    assertActive(complaint, 'escalate');
    assertStillAtLevel(complaint.escalationLevel, request.fromLevel);
    return this.raise(manager, complaint, request.reason, actor, announce, now);
  }

  private async raise(
    manager: EntityManager,
    before: ComplaintRecord,
    reason: Reason,
    actor: Actor,
    announce: Announce,
    now: Date,
    breachedTimer?: 'acknowledgement' | 'resolution',
  ): Promise<ComplaintRecord> {
    const level = nextEscalationLevel(before.escalationLevel);
    const complaint: ComplaintRecord = { ...before, escalationLevel: level };
    const action = breachedTimer ? `${breachedTimer}-sla-breached` : 'escalate';
    await this.history.save(manager, { before, after: complaint, action, actor, at: now });
    await announce(
      'complaint-escalated',
      {
        guestId: complaint.guestId,
        complaintId: complaint.id,
        level,
        reason,
        ...(breachedTimer ? { breachedTimer } : {}),
        notifyRole: notifiedRoleFor(level, complaint.ownerRole),
        escalatedAt: now.toISOString(),
      },
      complaint,
    );
    return complaint;
  }
}
