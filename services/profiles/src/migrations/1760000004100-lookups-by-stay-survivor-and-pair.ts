import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Three lookups that read whole tables without an index of their own, each growing with the chain:
 * - a stay's adjustments, which applying one that posts nights reads for the latest posting (the index on
 *   them is partial, of those still waiting for their stay);
 * - the guests merged into one, which a merge points on at its survivor (a foreign key makes no index);
 * - a guest's suggestions as the second of their pair (the pair's unique index leads with the first).
 * Built concurrently, so pods still running keep writing meanwhile; a build that failed leaves an invalid
 * index, dropped before the next try.
 */
export class LookupsByStaySurvivorAndPair1760000004100 implements MigrationInterface {
  name = 'LookupsByStaySurvivorAndPair1760000004100';
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
  ['stay_adjustments_of_stay', 'stay_adjustments (property_id, reservation_id)'],
  ['guests_merged_into', 'guests (merged_into) where merged_into is not null'],
  ['match_suggestions_second_guest', 'match_suggestions (guest_b)'],
] as const;
