import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox is pruned by age (`OutboxRelay`). Rows are written in time order, so a BRIN index finds the
 * old ones for a few pages of index and costs the hot path, one inbox row per event handled, next to
 * nothing; a B-tree would add a write per row.
 */
export class InboxByAge1760000000200 implements MigrationInterface {
  name = 'InboxByAge1760000000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `create index messaging_inbox_processed_at on messaging_inbox using brin (processed_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop index messaging_inbox_processed_at`);
  }
}
