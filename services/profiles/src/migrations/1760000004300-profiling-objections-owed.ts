import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Owes downstream a `guest-updated` with `profilingConsent: false` for every guest whose objection to profiling
 * stands now: releases before this one did not announce profiling consent, and the churn watch learns of an
 * objection (GDPR Art. 21) from that event alone. A migration cannot put an event in the outbox itself: the
 * outbox names each event's topic with the service's topic prefix and its source with the service's name,
 * which only the running service knows. So the guests owed wait in `profiling_objections_owed`, which the
 * service announces from in chunks (`OwedProfilingObjections`), each chunk's announcements committed with the
 * rows they settle.
 *
 * An objection stands while profiling is withdrawn on any channel (the latest decision per channel), as
 * `guest-updated` reads consent. Only active guests: an erased guest's consents are gone, and a merged one's
 * moved to the guest it was merged into.
 *
 * Frozen as it ships, as every migration is.
 */
export class ProfilingObjectionsOwed1760000004300 implements MigrationInterface {
  name = 'ProfilingObjectionsOwed1760000004300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('create table profiling_objections_owed (guest_id uuid primary key)');
    await queryRunner.query(
      `insert into profiling_objections_owed (guest_id)
       select latest.guest_id from (
         select distinct on (guest_id, channel) guest_id, granted from guest_consents
         where purpose = 'profiling' order by guest_id, channel, id desc) latest
       join guests g on g.id = latest.guest_id and g.status = 'active'
       group by latest.guest_id
       having not bool_and(latest.granted)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table profiling_objections_owed');
  }
}
