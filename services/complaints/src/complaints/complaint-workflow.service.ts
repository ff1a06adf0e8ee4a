import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { lockKeysUntilCommit } from '@loyalty/persistence';
import {
  assertActive,
  assertMaySetAside,
  assertReopenable,
  closesComplaint,
  closureOutcome,
  ComplaintError,
  ComplaintErrorCode,
  isSatisfied,
  nextStatus,
  policyById,
  strongestRole,
} from '../domain';
import { ComplaintsConfig } from '../config/complaints.config';
import { Compensations } from '../recovery/compensations.service';
import { SlaTimers } from '../sla/sla-timers.service';
import type { Announce } from './announce';
import type { ComplaintCommand } from './complaint-command';
import { ComplaintHistory } from './complaint-history';
import { SYSTEM_ACTOR, type Actor, type ComplaintRecord } from './complaint-record';
import { ComplaintStore } from './complaint-store';

const DAY_MINUTES = 24 * 60;

/** What one transition does besides changing the status: timers, fields, events. */
interface Step {
  manager: EntityManager;
  complaint: ComplaintRecord;
  actor: Actor;
  /** The properties the actor may see (`propertyScopeFilter`): a duplicate's original must be at one. */
  visible: string[] | 'all';
  announce: Announce;
  now: Date;
}

/**
 * How the complaint closed, as the service's reason for declining the offers still pending on it. Every
 * action that closes a complaint (`closesComplaint`) has one; the follow-up's timeout has its own.
 */
function closedBecause(command: ComplaintCommand): string {
  switch (command.action) {
    case 'close':
      return 'the complaint was closed with the guest’s follow-up answer before the offer was approved';
    case 'cancel':
      return 'the complaint was cancelled (withdrawn) before the offer was approved';
    case 'mark-duplicate':
      return `the complaint was marked a duplicate of ${command.duplicateOf} before the offer was approved`;
    default:
      return `the complaint was closed (${command.action}) before the offer was approved`;
  }
}

const FOLLOW_UP_UNANSWERED =
  'the complaint was closed when its follow-up went unanswered, before the offer was approved';

/**
 * Moves a complaint through its state machine. Each call locks the complaint row, applies the
 * transition (an illegal one is refused with the allowed actions), moves its SLA timers, and records the
 * audit line and the public event in the caller's transaction. A transition that closes the complaint
 * declines the compensation offers still pending on it, in the same transaction.
 */
@Injectable()
export class ComplaintWorkflow {
  constructor(
    private readonly store: ComplaintStore,
    private readonly timers: SlaTimers,
    private readonly history: ComplaintHistory,
    private readonly config: ComplaintsConfig,
    private readonly compensations: Compensations,
  ) {}

  /**
   * Locks what a command reads or changes besides the complaint, before the caller locks the complaint
   * itself. A marking locks the complaint, its original and the complaints marked duplicates of it (moved to
   * that original) in id order, as a guest's erasure or merge locks the guest's complaints: locking the
   * complaint first and its duplicates after deadlocked with an erasure holding a duplicate and waiting for
   * the complaint. It first takes a key for each of the pair, as every marking naming either does, so that
   * which complaints are duplicates of the complaint cannot change until it commits: a new duplicate of it
   * marked at the same moment is moved with it, or refused once it is one. The original is checked to be
   * in the actor's scope before any of that: they must not hold a lock on another property's complaint.
   * @param visible the properties the actor may see (`propertyScopeFilter`).
   */
  async lockFirst(
    manager: EntityManager,
    complaintId: string,
    command: ComplaintCommand,
    visible: string[] | 'all',
  ): Promise<void> {
    if (command.action !== 'mark-duplicate') return;
    await this.assertOtherVisible(manager, complaintId, command.duplicateOf, visible);
    const keys = [complaintId, command.duplicateOf].map((id) => `complaint-duplicate:${id}`);
    await lockKeysUntilCommit(manager, keys);
    await this.store.lockForMarking(manager, complaintId, command.duplicateOf);
  }

  async act(
    manager: EntityManager,
    complaintId: string,
    command: ComplaintCommand,
    { actor, visible }: { actor: Actor; visible: string[] | 'all' },
    announce: Announce,
    now: Date,
  ): Promise<ComplaintRecord> {
    const before = await this.store.lock(manager, complaintId);
    const complaint: ComplaintRecord = { ...before, status: nextStatus(before, command.action) };
    const step: Step = { manager, complaint, actor, visible, announce, now };
    await this.apply(step, command);
    const change = { before, after: complaint, action: command.action, actor, at: now };
    const saved =
      'reason' in command
        ? await this.history.save(manager, {
            ...change,
            reason: await this.store.keptText(manager, complaintId, command.reason),
          })
        : await this.history.save(manager, change);
    if (closesComplaint(before.status, saved.status)) {
      await this.compensations.declinePending(manager, complaintId, closedBecause(command), now);
    }
    return saved;
  }

  /** Hands the complaint to another owner, whose manager escalations will then notify. */
  async assign(
    manager: EntityManager,
    complaintId: string,
    owner: Pick<ComplaintRecord, 'ownerId' | 'ownerRole'>,
    actor: Actor,
    now: Date,
  ): Promise<ComplaintRecord> {
    const before = await this.store.lock(manager, complaintId);
    assertActive(before, 'assign');
    const complaint: ComplaintRecord = { ...before, ...owner };
    return this.history.save(manager, { before, after: complaint, action: 'assign', actor, at: now });
  }

  /**
   * The follow-up got no answer in time: the resolved complaint closes without a satisfaction score, as
   * unresolved (the guest did not confirm it settled), and the guest may still reopen it within the reopen
   * window.
   */
  async followUpTimedOut(
    manager: EntityManager,
    complaintId: string,
    announce: Announce,
    now: Date,
  ): Promise<void> {
    const complaint = await this.store.lock(manager, complaintId);
    if (complaint.status !== 'resolved') return;
    const closed: ComplaintRecord = {
      ...complaint,
      status: nextStatus(complaint, 'close'),
      closedAt: now,
    };
    await this.history.save(manager, {
      before: complaint,
      after: closed,
      action: 'follow-up-timed-out',
      actor: SYSTEM_ACTOR,
      at: now,
    });
    if (closesComplaint(complaint.status, closed.status)) {
      await this.compensations.declinePending(manager, complaintId, FOLLOW_UP_UNANSWERED, now);
    }
    await announce(
      'complaint-closed',
      {
        guestId: closed.guestId,
        complaintId,
        outcome: closureOutcome(closed),
        closedAt: now.toISOString(),
      },
      closed,
    );
  }

  private async apply(step: Step, command: ComplaintCommand): Promise<void> {
    const { manager, complaint, actor, visible, announce, now } = step;
    const ids = { guestId: complaint.guestId, complaintId: complaint.id };
    switch (command.action) {
      case 'acknowledge': {
        const withinSla = await this.timers.change(manager, complaint, 'acknowledgement', 'meet', now);
        complaint.acknowledgedAt = now;
        if (!complaint.ownerId)
          Object.assign(complaint, { ownerId: actor.id, ownerRole: strongestRole(actor.roles) });
        await announce(
          'complaint-acknowledged',
          { ...ids, acknowledgedAt: now.toISOString(), acknowledgedBy: actor.id, withinSla },
          complaint,
        );
        return;
      }
      case 'start':
        return;
      case 'await-guest':
        await this.timers.change(manager, complaint, 'resolution', 'pause', now);
        return;
      case 'resume':
        await this.timers.change(manager, complaint, 'resolution', 'resume', now);
        return;
      case 'resolve': {
        const withinSla = await this.timers.change(manager, complaint, 'resolution', 'meet', now);
        Object.assign(complaint, {
          resolvedAt: now,
          resolution: command.resolution,
          resolutionNote: await this.store.keptText(manager, complaint.id, command.note),
        });
        await this.timers.start(
          manager,
          complaint,
          'follow-up',
          this.config.COMPLAINTS_FOLLOW_UP_DAYS * DAY_MINUTES,
          false,
          now,
        );
        await announce(
          'complaint-resolved',
          {
            ...ids,
            resolution: command.resolution,
            resolvedBy: actor.id,
            resolvedAt: now.toISOString(),
            withinSla,
          },
          complaint,
        );
        return;
      }
      case 'close':
        await this.timers.change(manager, complaint, 'follow-up', 'meet', now);
        Object.assign(complaint, { closedAt: now, satisfaction: command.satisfaction });
        await announce(
          'complaint-closed',
          {
            ...ids,
            outcome: closureOutcome(complaint),
            guestSatisfied: isSatisfied(command.satisfaction),
            satisfaction: command.satisfaction,
            closedAt: now.toISOString(),
          },
          complaint,
        );
        return;
      case 'reopen': {
        assertReopenable(complaint.resolvedAt ?? now, now, this.config.COMPLAINTS_REOPEN_DAYS);
        // Only a resolved complaint or one its unanswered follow-up closed gets here (the state machine).
        const from = complaint.closedAt ? 'closed' : 'resolved';
        await this.timers.change(manager, complaint, 'follow-up', 'cancel', now);
        const resolutionTimer = await this.timers.startResolution(
          manager,
          complaint,
          policyById(complaint.policyId),
          now,
        );
        // Handled again: how it was resolved (its note too), and a close by its unanswered follow-up, no
        // longer hold.
        Object.assign(complaint, {
          resolvedAt: null,
          resolution: null,
          resolutionNote: null,
          closedAt: null,
        });
        // Told even when it was only resolved: the stream says the complaint is being handled again.
        await announce(
          'complaint-reopened',
          {
            ...ids,
            from,
            reopenedBy: actor.id,
            reopenedAt: now.toISOString(),
            resolveBy: resolutionTimer.targetAt.toISOString(),
          },
          complaint,
        );
        return;
      }
      case 'mark-duplicate':
        await this.assertStands(manager, command.duplicateOf);
        await this.moveDuplicates(step, command.duplicateOf);
        complaint.duplicateOf = command.duplicateOf;
        return this.closeEarly(step, 'duplicate');
      case 'cancel':
        assertMaySetAside('cancel', await this.store.duplicatesOf(manager, complaint.id), visible);
        return this.closeEarly(step, 'withdrawn');
    }
  }

  private async closeEarly(
    { manager, complaint, announce, now }: Step,
    outcome: 'duplicate' | 'withdrawn',
  ): Promise<void> {
    await this.timers.cancelAll(manager, complaint, now);
    complaint.closedAt = now;
    await announce(
      'complaint-closed',
      { guestId: complaint.guestId, complaintId: complaint.id, outcome, closedAt: now.toISOString() },
      complaint,
    );
  }

  /**
   * A duplicate's original is another complaint the actor may see: one they may not is answered as one that
   * does not exist, so its id tells nothing. Read without a lock: a complaint's property never changes.
   */
  private async assertOtherVisible(
    manager: EntityManager,
    id: string,
    duplicateOf: string,
    visible: string[] | 'all',
  ): Promise<void> {
    const [other]: unknown[] = await manager.query(
      `select 1 from complaints
       where id = $1 and id <> $2 and ($3::text[] is null or property_id = any($3::text[]))`,
      [duplicateOf, id, visible === 'all' ? null : visible],
    );
    if (!other) {
      throw new ComplaintError(
        ComplaintErrorCode.INVALID_ARGUMENT,
        `duplicateOf must be another complaint's id; ${duplicateOf} is not`,
        { field: 'duplicateOf' },
      );
    }
  }

  /**
   * One closed as a duplicate or cancelled cannot stand for this one: the guest's complaint would be closed
   * with nobody handling it. Read under the lock `lockFirst` took on the original: a cancel (or a marking) of
   * it still in flight was waited for, and its status is read as it committed.
   */
  private async assertStands(manager: EntityManager, duplicateOf: string): Promise<void> {
    const { status } = await this.store.get(manager, duplicateOf);
    if (status === 'duplicate' || status === 'cancelled') {
      throw new ComplaintError(
        ComplaintErrorCode.INVALID_ARGUMENT,
        `duplicateOf must be a complaint that stands; ${duplicateOf} is ${status}`,
        { field: 'duplicateOf', status },
      );
    }
  }

  /**
   * The complaint, being marked a duplicate, hands the complaints marked duplicates of it to its own
   * original: their guests then wait on the complaint that will be answered, and no duplicate's original is
   * itself a duplicate. Each gets an audit line by the actor. No event: `complaint-closed` of a duplicate
   * does not name its original. They were locked with the complaint (`lockFirst`).
   */
  private async moveDuplicates(
    { manager, complaint, actor, visible, now }: Step,
    duplicateOf: string,
  ): Promise<void> {
    const duplicates = await this.store.duplicatesOf(manager, complaint.id);
    assertMaySetAside('mark-duplicate', duplicates, visible);
    for (const duplicate of duplicates) {
      const moved = { ...duplicate, duplicateOf };
      const change = { before: duplicate, after: moved, actor, at: now };
      await this.history.save(manager, { ...change, action: 'original-marked-duplicate' });
    }
  }
}
