import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SYSTEM_ACTOR } from '../complaints/complaint-record';
import { policyById } from '../domain';
import { SlaCalendars } from '../sla/sla-calendars.service';
import { SlaTimers } from '../sla/sla-timers.service';
import { TimerStore } from '../sla/timer-store';
import { AUDIT_VIEW, auditInstant } from './audit-view';

/** A duplicate taken up again in place of its cancelled original, and when. */
interface Successor {
  id: string;
  propertyId: string;
  policyId: string;
  status: 'opened' | 'acknowledged';
  at: Date;
}

/**
 * Gives the duplicates of each cancelled complaint a complaint that will be answered. Before an original
 * with duplicates could no longer be cancelled, a cancel left them closed, waiting on a complaint nobody
 * answers. As when an original is marked a duplicate itself, they stay duplicates and move to the complaint
 * that will be answered: here the oldest of them, the first filed about the matter, taken up again in the
 * state it was marked a duplicate in (acknowledged if it had been, else opened) with the SLA timers that
 * state runs, started now. Each gets an `original-cancelled` audit line by the service. Nothing is
 * published: migrations run before the service, and its publisher, start.
 */
export class DuplicatesOfCancelledOriginals1760000005200 implements MigrationInterface {
  name = 'DuplicatesOfCancelledOriginals1760000005200';

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

  // A repair: the waits it ended were wrong, and the audit trail it wrote is append-only.
  async down(): Promise<void> {}
}
