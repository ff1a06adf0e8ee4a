import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a complaint was last reopened: a complaint closed because the guest never answered the follow-up
 * may be reopened, and of its close and its reopen, which arrive on different topics, the later stands.
 */
export class ReopenedComplaints1760000003100 implements MigrationInterface {
  name = 'ReopenedComplaints1760000003100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table open_complaints add column reopened_at timestamptz');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table open_complaints drop column reopened_at');
  }
}
