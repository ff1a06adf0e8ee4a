import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { lockKeysUntilCommit } from '@loyalty/persistence';
import { assertSameRequest, type RequestKey } from '@loyalty/platform';
import {
  approverAbove,
  approverNeeded,
  assertMayDecide,
  assertFitsApproversComplaint,
  assertFitsApproversDay,
  assertFitsWholeStay,
  assertNotClosed,
  canApprove,
  ComplaintError,
  ComplaintErrorCode,
  fitsApproversComplaint,
  fitsApproversDay,
  type CompensationOffer,
} from '../domain';
import type { Announce } from '../complaints/announce';
import { AuditTrail } from '../complaints/audit-trail';
import { SYSTEM_ACTOR, type Actor, type ComplaintRecord } from '../complaints/complaint-record';
import { ComplaintStore } from '../complaints/complaint-store';
import { keyReused } from '../complaints/http-edge';
import {
  compensationAuditView,
  offerOf,
  SELECT_COMPENSATIONS,
  SELECT_KEYED_COMPENSATIONS,
  type CompensationRecord,
} from './compensation-record';

const DAY_MS = 24 * 3_600_000;

/**
 * Goodwill points, discounts and upgrade vouchers for a complaint. An offer within the requester's
 * approval limit is approved at once; a larger one waits for a role that may approve it, and so does one
 * past the goodwill points the requester may approve in a day, or past the discount they may approve on one
 * complaint (it waits for the role above). No discount is requested or approved that would take the
 * complaint's approved discounts, all approvers' together, past the whole stay. Approved points publish
 * `compensation-granted` (one compensation id, credited once by the ledger) in the same transaction as the
 * approval. A request key makes a retried request return the first one's compensation instead of requesting
 * (and granting) it again; the key sent with a different request is refused. A pending offer is declined by
 * whoever may approve it, or by the service when its complaint closes first: nobody could approve it then.
 * A decline grants nothing, so it publishes nothing.
 */
@Injectable()
export class Compensations {
  constructor(
    private readonly complaints: ComplaintStore,
    private readonly audit: AuditTrail,
  ) {}

  async request(
    manager: EntityManager,
    complaintId: string,
    offer: CompensationOffer & { note?: string },
    actor: Actor,
    announce: Announce,
    now: Date,
    requestKey?: RequestKey,
  ): Promise<CompensationRecord> {
    const complaint = await this.complaints.lock(manager, complaintId);
    // The complaint's lock orders retries of one request, so the first one's row is visible here. A retry
    // gets the compensation as it stands now, even if the complaint was closed since.
    const earlier = requestKey && (await this.madeBefore(manager, complaintId, requestKey));
    if (earlier) return earlier;
    assertNotClosed(complaint, 'compensate');
    assertFitsWholeStay(offer, await this.discountApproved(manager, complaintId));
    const mayApprove = canApprove(actor.roles, offer);
    const approvesNow =
      mayApprove &&
      fitsApproversDay(actor.roles, offer, await this.approvedInLastDay(manager, actor.id, now)) &&
      fitsApproversComplaint(actor.roles, offer, await this.discountApproved(manager, complaintId, actor.id));
    const requested: CompensationRecord = {
      id: randomUUID(),
      complaintId,
      kind: offer.kind,
      points: offer.points ?? null,
      discountPercent: offer.discountPercent ?? null,
      status: 'pending',
      requiredRole: mayApprove && !approvesNow ? approverAbove(actor.roles) : approverNeeded(offer),
      requestedBy: actor.id,
      requestedAt: now,
      approvedBy: null,
      approvedAt: null,
      declinedBy: null,
      declinedAt: null,
      declineReason: null,
    };
    await manager.query(
      `insert into compensations (id, complaint_id, kind, points, discount_percent, status, required_role, note,
         requested_by, requested_at, request_key, request_fingerprint)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        requested.id,
        complaintId,
        offer.kind,
        requested.points,
        requested.discountPercent,
        'pending',
        requested.requiredRole,
        await this.complaints.keptText(manager, complaintId, offer.note),
        actor.id,
        now,
        requestKey?.key ?? null,
        requestKey?.fingerprint ?? null,
      ],
    );
    await this.audit.record(manager, {
      complaintId,
      at: now,
      actor,
      action: 'compensation-requested',
      before: null,
      after: compensationAuditView(requested),
    });
    if (!approvesNow) return requested;
    return this.grant(manager, complaint, requested, actor, announce, now);
  }

  async approve(
    manager: EntityManager,
    complaintId: string,
    compensationId: string,
    actor: Actor,
    announce: Announce,
    now: Date,
  ): Promise<CompensationRecord> {
    const complaint = await this.complaints.lock(manager, complaintId);
    // Its offer first: one declined when the complaint closed says so, rather than that the complaint is closed.
    const pending = await this.pending(manager, complaintId, compensationId);
    assertNotClosed(complaint, 'compensate');
    // Others' approvals since the request may have left no room for it, whoever approves.
    assertFitsWholeStay(offerOf(pending), await this.discountApproved(manager, complaintId));
    assertMayDecide('approve', actor.roles, offerOf(pending), pending.requiredRole);
    assertFitsApproversDay(
      actor.roles,
      offerOf(pending),
      await this.approvedInLastDay(manager, actor.id, now),
    );
    assertFitsApproversComplaint(
      actor.roles,
      offerOf(pending),
      await this.discountApproved(manager, complaintId, actor.id),
    );
    return this.grant(manager, complaint, pending, actor, announce, now);
  }

  /**
   * Declines a pending offer, with the decliner's reason (kept beside its audit line, and on the offer, until
   * an erasure blanks it). Whoever may approve the offer may decline it (`assertMayDecide`), also once the
   * complaint is closed: an offer left pending by an instance of the version before this, which closed
   * complaints without declining their offers, can still be settled.
   * @throws ComplaintError COMPENSATION_NOT_PENDING with `status` and who settled it, when it is not pending.
   */
  async decline(
    manager: EntityManager,
    complaintId: string,
    compensationId: string,
    reason: string,
    actor: Actor,
    now: Date,
  ): Promise<CompensationRecord> {
    await this.complaints.lock(manager, complaintId);
    const pending = await this.pending(manager, complaintId, compensationId);
    assertMayDecide('decline', actor.roles, offerOf(pending), pending.requiredRole);
    const kept = await this.complaints.keptText(manager, complaintId, reason);
    return this.declineOne(manager, pending, actor, kept, now);
  }

  /**
   * Declines, as the service, every offer still pending on a complaint that is closing (`closesComplaint`),
   * in the transaction that closes it, which holds its lock: nobody may approve them once it is closed.
   * @param reason how the complaint closed.
   */
  async declinePending(
    manager: EntityManager,
    complaintId: string,
    reason: string,
    now: Date,
  ): Promise<CompensationRecord[]> {
    const pending: CompensationRecord[] = await manager.query(
      `${SELECT_COMPENSATIONS} where complaint_id = $1 and status = 'pending' order by requested_at, id for update`,
      [complaintId],
    );
    const declined: CompensationRecord[] = [];
    for (const offer of pending)
      declined.push(await this.declineOne(manager, offer, SYSTEM_ACTOR, reason, now));
    return declined;
  }

  async of(manager: EntityManager, complaintId: string): Promise<CompensationRecord[]> {
    return manager.query(`${SELECT_COMPENSATIONS} where complaint_id = $1 order by requested_at`, [
      complaintId,
    ]);
  }

  /**
   * The complaint's compensation, locked, while it is pending.
   * @throws ComplaintError COMPENSATION_NOT_FOUND; COMPENSATION_NOT_PENDING with `status` and `approvedBy` or
   *   `declinedBy` once it was approved or declined.
   */
  private async pending(
    manager: EntityManager,
    complaintId: string,
    compensationId: string,
  ): Promise<CompensationRecord> {
    const [compensation]: CompensationRecord[] = await manager.query(
      `${SELECT_COMPENSATIONS} where id = $1 and complaint_id = $2 for update`,
      [compensationId, complaintId],
    );
    if (!compensation) {
      throw new ComplaintError(
        ComplaintErrorCode.COMPENSATION_NOT_FOUND,
        `complaint ${complaintId} has no compensation ${compensationId}`,
      );
    }
    if (compensation.status === 'approved') {
      throw new ComplaintError(
        ComplaintErrorCode.COMPENSATION_NOT_PENDING,
        `compensation ${compensationId} was already approved by ${compensation.approvedBy}`,
        { status: compensation.status, approvedBy: compensation.approvedBy },
      );
    }
    if (compensation.status === 'declined') {
      throw new ComplaintError(
        ComplaintErrorCode.COMPENSATION_NOT_PENDING,
        `compensation ${compensationId} was already declined by ${compensation.declinedBy}`,
        { status: compensation.status, declinedBy: compensation.declinedBy },
      );
    }
    return compensation;
  }

  private async declineOne(
    manager: EntityManager,
    pending: CompensationRecord,
    actor: Actor,
    reason: string | null,
    now: Date,
  ): Promise<CompensationRecord> {
    const declined: CompensationRecord = {
      ...pending,
      status: 'declined',
      declinedBy: actor.id,
      declinedAt: now,
      declineReason: reason,
    };
    await manager.query(
      `update compensations set status = 'declined', declined_by = $2, declined_at = $3, decline_reason = $4
       where id = $1`,
      [pending.id, actor.id, now, reason],
    );
    await this.audit.record(manager, {
      complaintId: pending.complaintId,
      at: now,
      actor,
      action: 'compensation-declined',
      before: compensationAuditView(pending),
      after: compensationAuditView(declined),
      reason,
    });
    return declined;
  }

  /**
   * The compensation a request with this key made on the complaint, if one did.
   * @throws ComplaintError IDEMPOTENCY_KEY_REUSED when that request was a different one.
   */
  private async madeBefore(
    manager: EntityManager,
    complaintId: string,
    requestKey: RequestKey,
  ): Promise<CompensationRecord | undefined> {
    const [earlier]: (CompensationRecord & { requestFingerprint: string | null })[] = await manager.query(
      `${SELECT_KEYED_COMPENSATIONS} where complaint_id = $1 and request_key = $2`,
      [complaintId, requestKey.key],
    );
    if (!earlier) return undefined;
    const { requestFingerprint, ...compensation } = earlier;
    assertSameRequest(requestKey, requestFingerprint, keyReused);
    return compensation;
  }

  /**
   * The goodwill points the approver approved in the 24 hours before `now`, over every complaint. Locks the
   * approver until the transaction ends first: two of their approvals on different complaints would
   * otherwise each count the day without the other, and together pass the limit.
   */
  private async approvedInLastDay(manager: EntityManager, approverId: string, now: Date): Promise<number> {
    await lockKeysUntilCommit(manager, [`complaints-approver:${approverId}`]);
    const [row]: { approved: string }[] = await manager.query(
      `select coalesce(sum(points), 0) as approved from compensations
       where approved_by = $1 and approved_at > $2 and kind = 'goodwill-points'`,
      [approverId, new Date(now.getTime() - DAY_MS)],
    );
    return Number(row.approved);
  }

  /**
   * The discount percent approved on the complaint: by one approver when `approverId` is given, else by all.
   * The caller holds the complaint's lock, which every approval on it takes first, so no other approval can
   * come between this sum and the caller's own.
   */
  private async discountApproved(
    manager: EntityManager,
    complaintId: string,
    approverId?: string,
  ): Promise<number> {
    const [row]: { approved: string }[] = await manager.query(
      `select coalesce(sum(discount_percent), 0) as approved from compensations
       where complaint_id = $1 and kind = 'discount' and status = 'approved'
         and ($2::text is null or approved_by = $2)`,
      [complaintId, approverId ?? null],
    );
    return Number(row.approved);
  }

  private async grant(
    manager: EntityManager,
    complaint: ComplaintRecord,
    pending: CompensationRecord,
    actor: Actor,
    announce: Announce,
    now: Date,
  ): Promise<CompensationRecord> {
    const approved: CompensationRecord = {
      ...pending,
      status: 'approved',
      approvedBy: actor.id,
      approvedAt: now,
    };
    await manager.query(
      `update compensations set status = 'approved', approved_by = $2, approved_at = $3 where id = $1`,
      [approved.id, actor.id, now],
    );
    await this.audit.record(manager, {
      complaintId: complaint.id,
      at: now,
      actor,
      action: 'compensation-approved',
      before: compensationAuditView(pending),
      after: compensationAuditView(approved),
    });
    if (approved.kind === 'goodwill-points' && approved.points) {
      await announce(
        'compensation-granted',
        {
          guestId: complaint.guestId,
          complaintId: complaint.id,
          compensationId: approved.id,
          points: approved.points,
          approvedBy: actor.id,
          grantedAt: now.toISOString(),
        },
        complaint,
      );
    }
    return approved;
  }
}
