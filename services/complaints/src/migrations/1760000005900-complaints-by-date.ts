import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The complaints by when they were opened and resolved, chain-wide: the list a chain-wide token pages
 * (newest first) and the insights of every property read them by date alone, which the indexes leading
 * with the property cannot serve, so each read every complaint on file. Built concurrently, so pods still
 * running keep writing meanwhile; a build that failed leaves an invalid index, dropped before the next try.
 */
export class ComplaintsByDate1760000005900 implements MigrationInterface {
  name = 'ComplaintsByDate1760000005900';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [index, definition] of INDEXES) {
      await queryRunner.query(`drop index concurrently if exists ${index}`);
      await queryRunner.query(`create index concurrently ${index} on ${definition}`);
    }
  }

  // Not `concurrently`: TypeORM reverts a migration in a transaction whatever its `transaction` says.
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [index] of INDEXES) await queryRunner.query(`drop index if exists ${index}`);
  }
}

const INDEXES = [
  ['complaints_opened', 'complaints (opened_at, id)'],
  ['complaints_resolved', 'complaints (resolved_at) where resolved_at is not null'],
] as const;
