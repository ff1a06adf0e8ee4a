import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A guest's access export lists the identity decisions about them: without an index on the guest, each
 * request read the whole decision log, which grows by a row or more per stay across the chain.
 */
export class MatchDecisionsByGuest1760000002400 implements MigrationInterface {
  name = 'MatchDecisionsByGuest1760000002400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('create index match_decisions_guest on match_decisions (guest_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index match_decisions_guest');
  }
}
