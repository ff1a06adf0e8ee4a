import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A dead-letter mark names its record by position and broker timestamp: a position alone is taken again
 * by another record once a topic is recreated or the service moves to a new cluster with its database,
 * and that record would be taken for one dead-lettered before and dropped without a letter. Marks written
 * before have no timestamp and match no record: one delivered again across the upgrade is written twice.
 */
export class DeadLetterRecordTimestamp1760000000400 implements MigrationInterface {
  name = 'DeadLetterRecordTimestamp1760000000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`alter table messaging_dead_lettered add column record_timestamp bigint`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`alter table messaging_dead_lettered drop column record_timestamp`);
  }
}
