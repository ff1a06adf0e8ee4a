import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A `stay-adjusted` comes straight from the property while its stay takes the detour through profiles, so
 * it routinely arrives before the stay is credited: it waits in `parked_stay_adjustments` (one row per
 * stay and adjustment, so a redelivery parks nothing twice) until the stay is. `nights_adjusted_at` is
 * when the nights a stay counts were posted, as v2 nights are absolute and the latest posted must win.
 */
export class ParkedStayAdjustments1760000005000 implements MigrationInterface {
  name = 'ParkedStayAdjustments1760000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table credited_stays add column nights_adjusted_at timestamptz');
    await queryRunner.query(`
      create table parked_stay_adjustments (
        stay_key text not null,
        adjustment_key text not null,
        sequence bigint generated always as identity,
        event jsonb not null,
        parked_at timestamptz not null,
        primary key (stay_key, adjustment_key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table parked_stay_adjustments');
    await queryRunner.query('alter table credited_stays drop column nights_adjusted_at');
  }
}
