import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When profiles received each adjustment, so the age of one still waiting for its stay is measured from
 * its arrival (a back-filled adjustment was posted long before). Those kept before count from now.
 */
export class StayAdjustmentReceivedAt1760000002900 implements MigrationInterface {
  name = 'StayAdjustmentReceivedAt1760000002900';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'alter table stay_adjustments add column received_at timestamptz not null default now()',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table stay_adjustments drop column received_at');
  }
}
