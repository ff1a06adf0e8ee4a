import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets a compensation offer be declined (`status` `declined`, who, when and why), by staff who may approve
 * it or by the service when its complaint closes, and declines the offers left pending on complaints already
 * closed, cancelled or marked duplicates: nobody may approve those, and they showed `pending` for good.
 *
 * Without blocking `compensations` for long, while instances of the previous version run on beside it (they
 * read `declined` offers as not pending and refuse to approve them):
 * - the columns are nullable with no default, and the status check is replaced `not valid`: one statement
 *   that changes the catalog and reads no row, under the exclusive lock it needs for an instant. Waiting for
 *   that lock would queue every writer behind it, so it gives up after a moment instead (`lock_timeout`):
 *   the start-up that ran it fails and is retried, with nothing changed;
 * - the check is then validated outside any transaction, which reads the table under a lock that lets
 *   reads and writes go on (SHARE UPDATE EXCLUSIVE). Every row holds, as the check only widens;
 * - the offers left pending are declined in a transaction of their own, their complaints locked first in
 *   id order, as staff commands lock a complaint before its offers. Each gets a `compensation-declined`
 *   audit line by the service, with the reason beside it, as the service writes one now.
 *
 * Run again after failing part-way, each step does what is left. Frozen as it ships, as every migration is:
 * the audit lines' fields and the reasons are spelled out here.
 */
export class CompensationsDeclined1760000005800 implements MigrationInterface {
  name = 'CompensationsDeclined1760000005800';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`set lock_timeout = '3s'`);
    try {
      await queryRunner.query(`
        alter table compensations
          add column if not exists declined_by text,
          add column if not exists declined_at timestamptz,
          add column if not exists decline_reason text,
          drop constraint if exists compensations_status_check,
          add constraint compensations_status_check
            check (status in ('pending', 'approved', 'declined')) not valid`);
    } finally {
      await queryRunner.query('reset lock_timeout');
    }
    await queryRunner.query('alter table compensations validate constraint compensations_status_check');
    await queryRunner.startTransaction();
    try {
      await declineStranded(queryRunner);
      await queryRunner.commitTransaction();
    } catch (error) {
      await queryRunner.rollbackTransaction();
      throw error;
    }
  }

  // TypeORM reverts a migration in a transaction whatever its `transaction` says. Declined offers cannot
  // be told apart from pending ones by code from before this migration: they go back to pending.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`update compensations set status = 'pending' where status = 'declined'`);
    await queryRunner.query(`
      alter table compensations
        drop constraint compensations_status_check,
        add constraint compensations_status_check check (status in ('pending', 'approved')),
        drop column declined_by,
        drop column declined_at,
        drop column decline_reason`);
  }
}

/** Who the audit lines name: the service itself. */
const SERVICE_ACTOR = { id: 'complaints', roles: ['service'] };

/** A timestamp in the audit trail as the service writes one: `JSON.stringify` of a `Date`, in UTC. */
const auditInstant = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The offer `o` as its audit lines keep it: every field but the note and the decline's reason. */
const AUDIT_VIEW = `jsonb_build_object(
  'id', o.id, 'complaintId', o.complaint_id, 'kind', o.kind, 'points', o.points,
  'discountPercent', o.discount_percent, 'status', o.status, 'requiredRole', o.required_role,
  'requestedBy', o.requested_by, 'requestedAt', ${auditInstant('o.requested_at')},
  'approvedBy', o.approved_by, 'approvedAt', ${auditInstant('o.approved_at')},
  'declinedBy', o.declined_by, 'declinedAt', ${auditInstant('o.declined_at')})`;

/** How the complaint `c` closed, as the service says when it declines the offers pending on it. */
const REASON = `case c.status
  when 'cancelled' then 'the complaint was cancelled (withdrawn) before the offer was approved'
  when 'duplicate' then 'the complaint was marked a duplicate of ' || c.duplicate_of || ' before the offer was approved'
  else 'the complaint was closed before the offer was approved'
end`;

async function declineStranded(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(
    `select c.id from complaints c
     where c.status in ('closed', 'duplicate', 'cancelled')
       and exists (select 1 from compensations o where o.complaint_id = c.id and o.status = 'pending')
     order by c.id
     for update`,
  );
  await queryRunner.query(
    `with stranded as (
       select o.id, o.complaint_id, ${AUDIT_VIEW} as before, ${REASON} as reason
       from compensations o join complaints c on c.id = o.complaint_id
       where o.status = 'pending' and c.status in ('closed', 'duplicate', 'cancelled')
       order by o.complaint_id, o.requested_at, o.id
       for update of o
     ),
     declined as (
       update compensations o
       set status = 'declined', declined_by = $1, declined_at = now(), decline_reason = s.reason
       from stranded s where o.id = s.id
       returning o.id, o.declined_at
     ),
     audited as (
       insert into complaint_audit (complaint_id, at, actor, actor_roles, action, before, after)
       select s.complaint_id, d.declined_at, $1, $2, 'compensation-declined', s.before,
         s.before || jsonb_build_object(
           'status', 'declined', 'declinedBy', $1::text, 'declinedAt', ${auditInstant('d.declined_at')})
       from stranded s join declined d on d.id = s.id
       order by s.complaint_id, s.id
       returning id, (after ->> 'id')::uuid as compensation_id
     )
     insert into complaint_reasons (audit_id, reason)
     select a.id, s.reason from audited a join stranded s on s.id = a.compensation_id`,
    [SERVICE_ACTOR.id, SERVICE_ACTOR.roles],
  );
}
