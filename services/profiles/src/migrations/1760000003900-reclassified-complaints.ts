import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a complaint was last reclassified: its severity and category are then those of `complaint-reclassified`,
 * which a late `complaint-opened`, on another topic, does not undo. Nullable and without a default, so adding
 * it rewrites no row.
 */
export class ReclassifiedComplaints1760000003900 implements MigrationInterface {
  name = 'ReclassifiedComplaints1760000003900';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table open_complaints add column reclassified_at timestamptz');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table open_complaints drop column reclassified_at');
  }
}
