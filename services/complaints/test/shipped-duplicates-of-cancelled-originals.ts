import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SYSTEM_ACTOR } from '../src/complaints/complaint-record';
import { policyById } from '../src/domain';
import { SlaCalendars } from '../src/sla/sla-calendars.service';
import { SlaTimers } from '../src/sla/sla-timers.service';
import { TimerStore } from '../src/sla/timer-store';
import { AUDIT_VIEW, auditInstant } from '../src/migrations/audit-view';

/** A duplicate taken up again in place of its cancelled original, and when. */
interface Successor {
  id: string;
  propertyId: string;
  policyId: string;
  status: 'opened' | 'acknowledged';
  at: Date;
}

/**
 * Migration 1760000005200 as it shipped, on the service's classes: what the frozen one must still do, on
 * the same data, wherever it has not run yet. Those classes stand for the shipped behaviour only while they
 * are unchanged: once a release changes how they start timers, pin this copy to what it did before.
 */
export class ShippedDuplicatesOfCancelledOriginals implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const successors: Successor[] = await queryRunner.query(
      `with successors (original, id) as (
         select distinct on (d.duplicate_of) d.duplicate_of, d.id
         from complaints d join complaints o on o.id = d.duplicate_of
         where d.status = 'duplicate' and o.status = 'cancelled'
         order by d.duplicate_of, d.opened_at, d.id
       ),
       repairs as (
         select c.id, ${AUDIT_VIEW} as before,
           case when c.id <> s.id then c.status when c.acknowledged_at is null then 'opened' else 'acknowledged'
           end as status,
           case when c.id <> s.id then c.closed_at end as closed_at,
           case when c.id <> s.id then s.id end as duplicate_of
         from complaints c join successors s on s.original = c.duplicate_of
         where c.status = 'duplicate'
       ),
       repaired as (
         update complaints c set status = r.status, closed_at = r.closed_at, duplicate_of = r.duplicate_of
         from repairs r where c.id = r.id
         returning c.id, c.property_id, c.policy_id, c.status
       ),
       audited as (
         insert into complaint_audit (complaint_id, at, actor, actor_roles, action, before, after)
         select r.id, now(), $1, $2, 'original-cancelled', r.before,
           r.before || jsonb_build_object(
             'status', r.status, 'closedAt', ${auditInstant('r.closed_at')}, 'duplicateOf', r.duplicate_of)
         from repairs r join repaired using (id)
       )
       select id, property_id as "propertyId", policy_id as "policyId", status, now() as at
       from repaired where status <> 'duplicate'`,
      [SYSTEM_ACTOR.id, SYSTEM_ACTOR.roles],
    );
    const timers = new SlaTimers(new TimerStore(), new SlaCalendars());
    for (const successor of successors) {
      const policy = policyById(successor.policyId);
      if (successor.status === 'opened') {
        await timers.startFor(queryRunner.manager, successor, policy, successor.at);
      } else {
        await timers.startResolution(queryRunner.manager, successor, policy, successor.at);
      }
    }
  }

  async down(): Promise<void> {}
}
