import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventData, StayDimension } from '@loyalty/contracts';
import type { Role } from '@loyalty/auth';
import {
  choosePolicy,
  ComplaintError,
  ComplaintErrorCode,
  DEFAULT_SLA_POLICIES,
  type ComplaintCategory,
  type Severity,
} from '../domain';
import { GuestFacts } from '../guests/guest-facts.store';
import { SlaTimers } from '../sla/sla-timers.service';
import type { Announce } from './announce';
import { AuditTrail } from './audit-trail';
import { auditView, type Actor, type ComplaintRecord, type StayReference } from './complaint-record';
import { ComplaintStore } from './complaint-store';
import type { RequestKey } from '@loyalty/platform';

/** A complaint as received, from staff over HTTP or from a detractor's survey answer. */
export interface Intake {
  guestId: string;
  propertyId: string;
  stay?: StayReference;
  reservationId?: string;
  channel: EventData<'complaint-opened'>['channel'];
  category: ComplaintCategory;
  aspect: StayDimension;
  severity: Severity;
  description?: string;
  surveyId?: string;
  ownerId?: string;
  ownerRole: Role;
  /**
   * When it reached the hotel, if before it is opened: the time staff state for one logged afterwards
   * (vetted by `vetReceivedAt`), or when the guest answered the survey. Taken as now if later than now.
   */
  receivedAt?: Date;
}

/**
 * Opens a complaint: the SLA policy is chosen from its severity, category and the guest's tier, and its
 * timers start when it was received, which for one logged afterwards is before it is opened. The audit
 * line (at the time it is logged) and `complaint-opened` join the caller's transaction. The same survey,
 * or the same intake key at one property, opens one complaint however often it arrives (a caller with a
 * key answers its retries first: `ComplaintStore.openedWith`); none is opened about an erased guest
 * (ComplaintError GUEST_ERASED).
 */
@Injectable()
export class ComplaintIntake {
  constructor(
    private readonly store: ComplaintStore,
    private readonly timers: SlaTimers,
    private readonly audit: AuditTrail,
    private readonly guests: GuestFacts,
  ) {}

  async open(
    manager: EntityManager,
    intake: Intake,
    actor: Actor,
    announce: Announce,
    now: Date,
    intakeKey?: RequestKey,
  ): Promise<ComplaintRecord> {
    // A complaint about a guest merged away is the survivor's.
    const { guestId, erased } = await this.guests.currentGuest(manager, intake.guestId);
    // The guest asked to be forgotten: a new complaint would keep text about them again.
    if (erased) {
      throw new ComplaintError(
        ComplaintErrorCode.GUEST_ERASED,
        `guest ${intake.guestId} was erased: no complaint can be opened about them`,
        { guestId: intake.guestId },
      );
    }
    // The guest has waited since then: the complaint is dated, and its SLA runs, from that time.
    const openedAt = intake.receivedAt && intake.receivedAt < now ? intake.receivedAt : now;
    const tier = await this.guests.tierOf(manager, guestId);
    const policy = choosePolicy(DEFAULT_SLA_POLICIES, { ...intake, tier });
    const complaint: ComplaintRecord = {
      id: randomUUID(),
      guestId,
      propertyId: intake.propertyId,
      stay: intake.stay ?? null,
      reservationId: intake.reservationId ?? intake.stay?.reservationId ?? null,
      channel: intake.channel,
      category: intake.category,
      aspect: intake.aspect,
      severity: intake.severity,
      description: intake.description ?? null,
      status: 'opened',
      ownerId: intake.ownerId ?? null,
      ownerRole: intake.ownerRole,
      escalationLevel: 0,
      policyId: policy.id,
      surveyId: intake.surveyId ?? null,
      openedAt,
      acknowledgedAt: null,
      resolvedAt: null,
      closedAt: null,
      resolution: null,
      resolutionNote: null,
      satisfaction: null,
      duplicateOf: null,
    };
    const id = await this.store.insert(manager, complaint, intakeKey);
    if (id !== complaint.id) return this.store.get(manager, id);
    const sla = await this.timers.startFor(manager, complaint, policy, openedAt);
    await this.audit.record(manager, {
      complaintId: id,
      at: now,
      actor,
      action: 'open',
      before: null,
      after: auditView(complaint),
    });
    await announce(
      'complaint-opened',
      {
        guestId: complaint.guestId,
        complaintId: id,
        propertyId: complaint.propertyId,
        ...(intake.stay ? { stay: intake.stay } : {}),
        category: complaint.aspect,
        complaintCategory: complaint.category,
        severity: complaint.severity,
        channel: intake.channel,
        ...(intake.surveyId ? { surveyId: intake.surveyId } : {}),
        openedAt: openedAt.toISOString(),
        sla: { acknowledgeBy: sla.acknowledgeBy.toISOString(), resolveBy: sla.resolveBy.toISOString() },
      },
      complaint,
    );
    return complaint;
  }
}
