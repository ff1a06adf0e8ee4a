import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A guest's access export lists the identity decisions about them, also those filed under the other guest of
 * the pair: a suggestion is filed under the incoming guest, "not the same person" under the lower id. Only
 * decisions naming a candidate enter the index. Built concurrently, so pods still running keep writing
 * decisions meanwhile; a build that failed leaves an invalid index, dropped before the next try.
 */
export class MatchDecisionsByCandidate1760000003950 implements MigrationInterface {
  name = 'MatchDecisionsByCandidate1760000003950';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index concurrently if exists match_decisions_candidate');
    await queryRunner.query(
      `create index concurrently match_decisions_candidate on match_decisions (candidate_id)
       where candidate_id is not null`,
    );
  }

  // Not `concurrently`: TypeORM reverts a migration in a transaction whatever its `transaction` says.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index if exists match_decisions_candidate');
  }
}
