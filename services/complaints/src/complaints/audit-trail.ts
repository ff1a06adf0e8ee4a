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
}

/** The append-only record of every change to a complaint: who, when, what, before and after. */
@Injectable()
export class AuditTrail {
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await manager.query(
      `insert into complaint_audit (complaint_id, at, actor, actor_roles, action, before, after)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        entry.complaintId,
        entry.at,
        entry.actor.id,
        entry.actor.roles,
        entry.action,
        entry.before === null ? null : JSON.stringify(entry.before),
        entry.after === null ? null : JSON.stringify(entry.after),
      ],
    );
  }

  async of(manager: EntityManager, complaintId: string): Promise<Record<string, unknown>[]> {
    return manager.query(
      `select at, actor, actor_roles as "actorRoles", action, before, after
       from complaint_audit where complaint_id = $1 order by id`,
      [complaintId],
    );
  }
}
