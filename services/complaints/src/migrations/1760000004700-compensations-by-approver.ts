import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What one approver approved lately, for their daily limit of goodwill points. */
export class CompensationsByApprover1760000004700 implements MigrationInterface {
  name = 'CompensationsByApprover1760000004700';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'create index compensations_by_approver on compensations (approved_by, approved_at) where approved_by is not null',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index compensations_by_approver');
  }
}
