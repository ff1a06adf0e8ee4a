import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assertPropertyInScope, propertyScopeFilter, type Principal } from '@loyalty/auth';
import { EventPublisher } from '@loyalty/messaging';
import { Clock, type RequestKey } from '@loyalty/platform';
import { aspectOf, vetReceivedAt } from '../domain';
import { Escalation } from '../sla/escalation.service';
import { announceWith, type Announce } from './announce';
import type { ComplaintCommand } from './complaint-command';
import { ComplaintIntake } from './complaint-intake.service';
import type { Actor, ComplaintRecord } from './complaint-record';
import { ComplaintStore } from './complaint-store';
import { ComplaintTriage } from './complaint-triage.service';
import { ComplaintWorkflow } from './complaint-workflow.service';
import type { OpenComplaintDto } from './dto/open-complaint.dto';
import type { AssignDto, EscalateDto, ReclassifyDto } from './dto/transition.dto';
import { actorOf } from './http-edge';

export interface CommandScope {
  manager: EntityManager;
  actor: Actor;
  announce: Announce;
  now: Date;
}

/**
 * Staff commands over HTTP: each runs in one transaction, checks the complaint's property against the
 * token's scope, and commits the change, its audit line and its events (through the outbox) together.
 */
@Injectable()
export class ComplaintCommands {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly store: ComplaintStore,
    private readonly intake: ComplaintIntake,
    private readonly workflow: ComplaintWorkflow,
    private readonly triage: ComplaintTriage,
    private readonly escalation: Escalation,
    private readonly clock: Clock,
  ) {}

  open(request: OpenComplaintDto, principal: Principal, intakeKey?: RequestKey): Promise<ComplaintRecord> {
    assertPropertyInScope(principal, request.propertyId);
    const aspect = aspectOf(request.category, request.aspect);
    return this.transaction(principal, async ({ manager, actor, announce, now }) => {
      // A retry answers with the first complaint, even when its guest was erased since, and however long
      // after it comes: its receivedAt was vetted against the clock of the first request.
      const opened = intakeKey && (await this.store.openedWith(manager, request.propertyId, intakeKey));
      if (opened) return opened;
      return this.intake.open(
        manager,
        {
          ...request,
          receivedAt: vetReceivedAt(
            request.receivedAt === undefined ? undefined : new Date(request.receivedAt),
            now,
          ),
          aspect,
          // Until someone owns it (by default whoever acknowledges it), the front desk does.
          ownerRole: request.ownerRole ?? 'front-desk',
        },
        actor,
        announce,
        now,
        intakeKey,
      );
    });
  }

  act(complaintId: string, command: ComplaintCommand, principal: Principal): Promise<ComplaintRecord> {
    const visible = propertyScopeFilter(principal);
    return this.onComplaint(
      complaintId,
      principal,
      ({ manager, actor, announce, now }) =>
        this.workflow.act(manager, complaintId, command, { actor, visible }, announce, now),
      (manager) => this.workflow.lockFirst(manager, complaintId, command, visible),
    );
  }

  escalate(complaintId: string, request: EscalateDto, principal: Principal): Promise<ComplaintRecord> {
    return this.onComplaint(complaintId, principal, ({ manager, actor, announce, now }) =>
      this.escalation.escalate(manager, complaintId, request, actor, announce, now),
    );
  }

  reclassify(complaintId: string, request: ReclassifyDto, principal: Principal): Promise<ComplaintRecord> {
    return this.onComplaint(complaintId, principal, ({ manager, actor, announce, now }) =>
      this.triage.reclassify(manager, complaintId, request, actor, announce, now),
    );
  }

  assign(complaintId: string, request: AssignDto, principal: Principal): Promise<ComplaintRecord> {
    return this.onComplaint(complaintId, principal, ({ manager, actor, now }) =>
      this.workflow.assign(manager, complaintId, request, actor, now),
    );
  }

  /**
   * Runs `work` on a complaint in the caller's property scope, in one transaction, with the complaint
   * locked before the clock is read: the SLA scanner may hold it while it records a breach, and a time
   * read before that would meet the timer "within SLA" after it had escalated.
   * @param lockFirst locks, before the complaint, what work that reads or changes more rows needs.
   */
  onComplaint<T>(
    complaintId: string,
    principal: Principal,
    work: (scope: CommandScope) => Promise<T>,
    lockFirst?: (manager: EntityManager) => Promise<void>,
  ): Promise<T> {
    return this.inScope(complaintId, principal, async (manager) => {
      await lockFirst?.(manager);
      await this.store.lock(manager, complaintId);
      return work(this.scopeOf(principal, manager));
    });
  }

  /** Reads of a complaint in the caller's property scope, without locking it. */
  readComplaint<T>(
    complaintId: string,
    principal: Principal,
    read: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    return this.inScope(complaintId, principal, read);
  }

  /**
   * Runs `work` in a transaction once the complaint is known to be in the caller's scope; one outside it is
   * answered as unknown (COMPLAINT_NOT_FOUND). Checked on a plain read before anything is locked: a
   * complaint's property never changes, and a caller should not hold locks on another property's complaints.
   */
  private inScope<T>(
    complaintId: string,
    principal: Principal,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await this.store.getVisible(manager, complaintId, propertyScopeFilter(principal));
      return work(manager);
    });
  }

  private transaction<T>(principal: Principal, work: (scope: CommandScope) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(this.scopeOf(principal, manager)));
  }

  private scopeOf(principal: Principal, manager: EntityManager): CommandScope {
    return {
      manager,
      actor: actorOf(principal),
      announce: announceWith(this.publisher, manager),
      now: this.clock.now(),
    };
  }
}
