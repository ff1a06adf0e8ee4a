import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether a discard made the adjustment's claim, which its restore then gives up. An adjustment id the
 * property reused for another stay can be claimed by that stay's application after this one was parked:
 * the discard then claims nothing, and a restore that gave the claim up let that other stay's adjustment
 * apply again. Rows from before, and from the previous release's pods while this rolls out, keep what a
 * restore did until now (the default, a constant: no rewrite of the table).
 */
export class DiscardsOwnClaims1760000016000 implements MigrationInterface {
  name = 'DiscardsOwnClaims1760000016000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'alter table discarded_stay_adjustments add column claimed boolean not null default true',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table discarded_stay_adjustments drop column claimed');
  }
}
