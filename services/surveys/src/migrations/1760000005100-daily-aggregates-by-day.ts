import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The daily aggregates by day, chain-wide: the chain's NPS and drivers (and each period of their trend) sum
 * a range of days over every property, which the primary keys leading with the property cannot serve, so
 * each read every day on file. Built concurrently, so pods still running keep writing meanwhile; a build
 * that failed leaves an invalid index, dropped before the next try.
 */
export class DailyAggregatesByDay1760000005100 implements MigrationInterface {
  name = 'DailyAggregatesByDay1760000005100';
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
  ['survey_daily_by_day', 'survey_daily (day)'],
  ['survey_daily_scores_by_day', 'survey_daily_scores (day)'],
] as const;
