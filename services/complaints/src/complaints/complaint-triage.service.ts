import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ComplaintClassificationDto } from '@loyalty/contracts';
import {
  assertNotClosed,
  choosePolicy,
  DEFAULT_SLA_POLICIES,
  policyById,
  reclassified,
  type Classification,
} from '../domain';
import { GuestFacts } from '../guests/guest-facts.store';
import { SlaTimers } from '../sla/sla-timers.service';
import type { Announce } from './announce';
import { ComplaintHistory } from './complaint-history';
import type { Actor, ComplaintRecord } from './complaint-record';
import { ComplaintStore } from './complaint-store';
import type { ReclassifyDto } from './dto/transition.dto';

/** Corrects how a complaint was triaged, and the SLA targets that follow from it. */
@Injectable()
export class ComplaintTriage {
  constructor(
    private readonly store: ComplaintStore,
    private readonly timers: SlaTimers,
    private readonly history: ComplaintHistory,
    private readonly guests: GuestFacts,
  ) {}

  /**
   * Gives the complaint a new severity and/or category until it is closed, with an audit line holding the
   * reason, and `complaint-reclassified` in the caller's transaction. The SLA policy is chosen again, as at
   * opening (the guest's tier as known now), and its live timers move to the new policy's targets
   * (`retimeTimer`): the event says the deadlines they give. One that changes nothing records and announces
   * nothing: a retry after a lost answer finds the complaint as it left it.
   * @throws ComplaintError ILLEGAL_TRANSITION once the complaint is closed, a duplicate or cancelled.
   */
  async reclassify(
    manager: EntityManager,
    complaintId: string,
    request: ReclassifyDto,
    actor: Actor,
    announce: Announce,
    now: Date,
  ): Promise<ComplaintRecord> {
    const before = await this.store.lock(manager, complaintId);
    assertNotClosed(before, 'reclassify');
    const classification = reclassified(before, request);
    if (!classification) return before;
    const tier = await this.guests.tierOf(manager, before.guestId);
    const policy = choosePolicy(DEFAULT_SLA_POLICIES, { ...classification, tier });
    const complaint: ComplaintRecord = { ...before, ...classification, policyId: policy.id };
    if (policy.id !== before.policyId) {
      await this.timers.retime(manager, complaint, policyById(before.policyId), policy, now);
    }
    const reason = await this.store.keptText(manager, complaintId, request.reason);
    await this.history.save(manager, {
      before,
      after: complaint,
      action: 'reclassify',
      actor,
      at: now,
      reason,
    });
    const { acknowledgeBy, resolveBy } = await this.timers.deadlines(manager, complaint, now);
    await announce(
      'complaint-reclassified',
      {
        guestId: complaint.guestId,
        complaintId,
        propertyId: complaint.propertyId,
        from: announced(before),
        to: announced(complaint),
        reclassifiedBy: actor.id,
        reclassifiedAt: now.toISOString(),
        resolveBy: resolveBy.toISOString(),
        ...(acknowledgeBy && { acknowledgeBy: acknowledgeBy.toISOString() }),
      },
      complaint,
    );
    return complaint;
  }
}

/** A classification as the complaint events name it: `category` is the aspect of the stay, as at opening. */
function announced({ severity, category, aspect }: Classification): ComplaintClassificationDto {
  return { severity, category: aspect, complaintCategory: category };
}
