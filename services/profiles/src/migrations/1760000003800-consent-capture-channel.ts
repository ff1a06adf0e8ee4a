import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How a consent was captured (at the front desk, on a paper form...), kept apart from `source`, which names
 * the staff member who recorded it. Nullable and without a default, so adding it rewrites no row, and pods of
 * the previous version, which do not write it, keep inserting consents during the rollout.
 */
export class ConsentCaptureChannel1760000003800 implements MigrationInterface {
  name = 'ConsentCaptureChannel1760000003800';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table guest_consents add column captured_via text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table guest_consents drop column captured_via');
  }
}
