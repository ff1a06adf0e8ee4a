import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from './complaint-record';

export interface AuditEntry {
  complaintId: string;
  at: Date;
  actor: Actor;
  action: string;
  before: unknown;
  after: unknown;
  /** Why staff took the action, in their words: kept beside the line, where erasure can blank it. */
  reason?: string | null;
}

/** The append-only record of every change to a complaint: who, when, what, before and after. */
@Injectable()
export class AuditTrail {
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    const line = `insert into complaint_audit (complaint_id, at, actor, actor_roles, action, before, after)
       values ($1, $2, $3, $4, $5, $6, $7) returning id`;
    await manager.query(
      entry.reason === undefined
        ? line
        : `with line as (${line}) insert into complaint_reasons (audit_id, reason) select id, $8 from line`,
      [
        entry.complaintId,
        entry.at,
        entry.actor.id,
        entry.actor.roles,
        entry.action,
        entry.before === null ? null : JSON.stringify(entry.before),
        entry.after === null ? null : JSON.stringify(entry.after),
        ...(entry.reason === undefined ? [] : [entry.reason]),
      ],
    );
  }

  async of(manager: EntityManager, complaintId: string): Promise<Record<string, unknown>[]> {
    const rows: (Record<string, unknown> & { gaveReason: boolean; reason: string | null })[] =
      await manager.query(
        `select a.at, a.actor, a.actor_roles as "actorRoles", a.action, a.before, a.after,
         r.audit_id is not null as "gaveReason", r.reason
       from complaint_audit a left join complaint_reasons r on r.audit_id = a.id
       where a.complaint_id = $1 order by a.id`,
        [complaintId],
      );
    return rows.map(({ gaveReason, reason, ...line }) => (gaveReason ? { ...line, reason } : line));
  }
}
