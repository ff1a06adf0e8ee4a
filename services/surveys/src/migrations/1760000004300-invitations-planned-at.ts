import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each invitation was planned (its stay handled), so one back-filled after it fell due waits for its
 * guest the whole grace period from then, not from a due time already past. Rows planned before have none
 * and wait from their due time, as they did.
 */
export class InvitationsPlannedAt1760000004300 implements MigrationInterface {
  name = 'InvitationsPlannedAt1760000004300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table invitations add column planned_at timestamptz');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table invitations drop column planned_at');
  }
}
