import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The open episodes in the alert list's order (newest first, then by id), so a page reads its rows straight
 * from the index wherever its cursor points, instead of sorting every open episode for each page. Only the
 * open ones: closed episodes pile up with every return and are never listed. Built concurrently, so pods
 * still running keep opening and closing episodes meanwhile; a build that failed leaves an invalid index,
 * dropped before the next try.
 */
export class OpenAlertsNewestFirst1760000005500 implements MigrationInterface {
  name = 'OpenAlertsNewestFirst1760000005500';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index concurrently if exists churn_episodes_open_newest_first');
    await queryRunner.query(
      `create index concurrently churn_episodes_open_newest_first on churn_episodes (opened_at desc, id)
       where closed_at is null`,
    );
  }

  // Not `concurrently`: TypeORM reverts a migration in a transaction whatever its `transaction` says.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index if exists churn_episodes_open_newest_first');
  }
}
