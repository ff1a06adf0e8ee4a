import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `stay-adjusted` changes a stay's revenue and, from v2, its nights after check-out. Every adjustment is
 * kept by its key (`property/adjustmentId`), so one is applied once; one that comes before its stay (it is
 * sent straight from the property, the stay takes longer) waits unapplied until the stay is recorded.
 * `program_revenue_minor` stays what is read: the recorded revenue plus the adjustments, at least zero;
 * the recorded revenue and the sum of the adjustments are kept, so the floor does not depend on their
 * order. `nights_adjusted_at` is when the stay's nights were posted: the latest posted wins.
 */
export class StayAdjustments1760000002800 implements MigrationInterface {
  name = 'StayAdjustments1760000002800';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `alter table stays add column recorded_program_revenue_minor bigint,
         add column program_revenue_adjustment_minor bigint not null default 0,
         add column nights_adjusted_at timestamptz`,
    );
    await queryRunner.query(`
      create table stay_adjustments (
        adjustment_key text primary key,
        property_id text not null,
        reservation_id text not null,
        program_revenue_delta_minor bigint not null,
        nights integer,
        adjusted_at timestamptz not null,
        applied_at timestamptz
      )`);
    await queryRunner.query(
      `create index stay_adjustments_pending on stay_adjustments (property_id, reservation_id)
       where applied_at is null`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table stay_adjustments');
    await queryRunner.query(
      `update stays set program_revenue_minor = recorded_program_revenue_minor
       where recorded_program_revenue_minor is not null`,
    );
    await queryRunner.query(
      `alter table stays drop column recorded_program_revenue_minor,
         drop column program_revenue_adjustment_minor, drop column nights_adjusted_at`,
    );
  }
}
