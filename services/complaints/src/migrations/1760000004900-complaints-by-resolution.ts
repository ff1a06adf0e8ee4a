import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Complaints resolved near an insight's window, for the recovery rate, as opened ones have their index. */
export class ComplaintsByResolution1760000004900 implements MigrationInterface {
  name = 'ComplaintsByResolution1760000004900';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'create index complaints_property_resolved on complaints (property_id, resolved_at) where resolved_at is not null',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index complaints_property_resolved');
  }
}
