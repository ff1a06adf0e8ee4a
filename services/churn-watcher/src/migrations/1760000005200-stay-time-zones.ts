import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The time zone of each stay's property, from `stay-recorded`, and on each guest's summary that of their
 * last stay: the days since it are counted to the local date there, the calendar the stay is dated in.
 * Stays recorded before this, or by a pod of the earlier version during the rollout, named no zone to the
 * watcher: they count in UTC, as everything did before, and so does their guest until a stay recorded with a
 * zone is their last.
 */
export class StayTimeZones1760000005200 implements MigrationInterface {
  name = 'StayTimeZones1760000005200';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['guest_visits', 'guests']) {
      // A constant default fills the existing rows without rewriting the table. It stays: pods of the
      // earlier version, still consuming while this one rolls out, write rows without a zone, and a
      // refused write would dead-letter their stays and merges. Their guests count in UTC, as before.
      await queryRunner.query(`alter table ${table} add column time_zone text not null default 'UTC'`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['guests', 'guest_visits']) {
      await queryRunner.query(`alter table ${table} drop column time_zone`);
    }
  }
}
