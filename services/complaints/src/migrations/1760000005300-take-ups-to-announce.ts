import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Owes downstream the `complaint-reopened` of every duplicate 1760000005200 took up again: it was closed
 * (`complaint-closed`, outcome `duplicate`), and is open again as of its take-up. A migration cannot put an
 * event in the outbox itself: the outbox names each event's topic with the service's topic prefix and its
 * source with the service's name, which only the running service knows. So the events wait in
 * `complaint_events_owed`, which the service moves to its outbox as it starts and on every tick of its SLA
 * scan (`OwedEvents`), so that a migration job run while instances are up is announced too. One it cannot
 * publish stays, with why (`failure`), how often it was tried (`attempts`) and when it is tried again
 * (`retry_at`), and holds up none of the others.
 *
 * Read from what 1760000005200 left, its `original-cancelled` audit lines and the timers it started, not
 * written by it: where it ran before this one shipped, it wrote no events, and those take-ups are owed too.
 *
 * `resolveBy` is the resolution timer's target as this runs, not necessarily the one set at the take-up: a
 * pause and resume since (awaiting the guest) moved it on, a timer paused now keeps the target it had before
 * the pause, and one met or cancelled its last. No consumer reads `resolveBy` today: profiles and the churn
 * watch use `reopenedAt`.
 *
 * The complaints of erased guests are owed too, not left out. The service goes on announcing an erased
 * guest's complaints as any other's (erasure drops their free text, and these events carry none, only ids and
 * instants), and each consumer decides: the churn watch drops an erased guest's events itself (`living`),
 * while profiles keeps applying them to `open_complaints`, which it keeps for an erased guest. Left out, the
 * reopen would leave profiles counting closed a complaint the service is handling again, unlike every other
 * event of that complaint.
 *
 * Frozen as it ships, as every migration is.
 */
export class TakeUpsToAnnounce1760000005300 implements MigrationInterface {
  name = 'TakeUpsToAnnounce1760000005300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table complaint_events_owed (
        id bigserial primary key,
        event_type text not null,
        guest_id uuid not null,
        property_id text not null,
        data jsonb not null,
        attempts integer not null default 0,
        failure text,
        retry_at timestamptz
      )`);
    // The timer was started at the instant of the audit line, as a JavaScript Date: to the millisecond.
    await queryRunner.query(
      `insert into complaint_events_owed (event_type, guest_id, property_id, data)
       select 'complaint-reopened', c.guest_id, c.property_id, jsonb_build_object(
         'guestId', c.guest_id, 'complaintId', c.id, 'from', 'closed', 'reopenedBy', a.actor,
         'reopenedAt', ${instant('a.at')}, 'resolveBy', ${instant('t.target_at')})
       from complaint_audit a
       join complaints c on c.id = a.complaint_id
       join lateral (
         select target_at from sla_timers t
         where t.complaint_id = a.complaint_id and t.kind = 'resolution'
           and t.started_at between a.at - interval '1 millisecond' and a.at + interval '1 millisecond'
         order by t.started_at limit 1
       ) t on true
       where a.action = 'original-cancelled' and a.after ->> 'status' in ('opened', 'acknowledged')
       order by a.id`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table complaint_events_owed');
  }
}

/** An instant as events carry one: ISO 8601 in UTC, to the millisecond. */
const instant = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
