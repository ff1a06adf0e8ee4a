import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which adjustment set a credited stay's nights, beside when it was posted: of two posted at one instant,
 * the one with the later key stands (`postedAfter`, as every service orders them), not the one that
 * arrived last. Nullable, added without rewriting the table; rows from before, and the previous release's
 * pods while this rolls out, leave it empty, and such nights give way to any posted at their instant.
 */
export class NightsAdjustmentKey1760000017000 implements MigrationInterface {
  name = 'NightsAdjustmentKey1760000017000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table credited_stays add column nights_adjustment_key text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table credited_stays drop column nights_adjustment_key');
  }
}
