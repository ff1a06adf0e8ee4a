import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A discard made by mistake is undone by a chain admin: the adjustment is parked again and the discard's
 * record stays, with who restored it, when and why. Nullable columns, added without rewriting the table;
 * pods of the previous version write discards without them and never restore.
 */
export class RestoredDiscards1760000014000 implements MigrationInterface {
  name = 'RestoredDiscards1760000014000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      alter table discarded_stay_adjustments
        add column restored_at timestamptz,
        add column restored_by text,
        add column restored_by_roles text[],
        add column restore_reason text,
        add constraint discarded_stay_adjustments_restored_whole check (
          (restored_at is null) = (restored_by is null)
          and (restored_at is null) = (restored_by_roles is null)
          and (restored_at is null) = (restore_reason is null))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      alter table discarded_stay_adjustments
        drop constraint discarded_stay_adjustments_restored_whole,
        drop column restored_at,
        drop column restored_by,
        drop column restored_by_roles,
        drop column restore_reason`);
  }
}
