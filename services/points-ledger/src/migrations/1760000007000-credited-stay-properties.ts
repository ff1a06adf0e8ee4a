import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The properties an account's stays were credited at are read on every per-guest request, to tell whether a
 * property-scoped token may see the guest: an index-only scan instead of a scan of every credited stay.
 */
export class CreditedStayProperties1760000007000 implements MigrationInterface {
  name = 'CreditedStayProperties1760000007000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'create index credited_stays_account_property on credited_stays (account_id, property_id)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index credited_stays_account_property');
  }
}
