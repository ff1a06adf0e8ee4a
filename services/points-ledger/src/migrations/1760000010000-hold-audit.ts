import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who placed each hold and who confirmed or released it, with their role and the property they acted
 * for: a hold moves no points, so it writes no entry that could name them. Holds placed before have none;
 * an expired hold has no one settling it (the job lets it go).
 */
export class HoldAudit1760000010000 implements MigrationInterface {
  name = 'HoldAudit1760000010000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `alter table holds add column placed_by_staff_id text, add column placed_by_role text,
         add column placed_property_id text, add column settled_by_staff_id text,
         add column settled_by_role text, add column settled_property_id text`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `alter table holds drop column placed_by_staff_id, drop column placed_by_role,
         drop column placed_property_id, drop column settled_by_staff_id, drop column settled_by_role,
         drop column settled_property_id`,
    );
  }
}
