import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditTrail } from './audit-trail';
import { auditView, type Actor, type ComplaintRecord } from './complaint-record';
import { ComplaintStore } from './complaint-store';

export interface ComplaintChange {
  before: ComplaintRecord;
  after: ComplaintRecord;
  action: string;
  actor: Actor;
  at: Date;
  reason?: string | null;
}

/** Writes a changed complaint together with its audit line: who, when, what, before and after. */
@Injectable()
export class ComplaintHistory {
  constructor(
    private readonly store: ComplaintStore,
    private readonly audit: AuditTrail,
  ) {}

  async save(manager: EntityManager, change: ComplaintChange): Promise<ComplaintRecord> {
    await this.store.save(manager, change.after);
    await this.audit.record(manager, {
      complaintId: change.after.id,
      at: change.at,
      actor: change.actor,
      action: change.action,
      before: auditView(change.before),
      after: auditView(change.after),
      ...(change.reason === undefined ? {} : { reason: change.reason }),
    });
    return change.after;
  }
}
