import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every staff adjustment and transfer sums what its staff member did in the last 24 hours against their
 * daily limit: entries by staff member and time, for the few entries a person makes by hand.
 */
export class EntriesByStaff1760000008000 implements MigrationInterface {
  name = 'EntriesByStaff1760000008000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'create index ledger_entries_staff on ledger_entries (staff_id, occurred_at) where staff_id is not null',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index ledger_entries_staff');
  }
}
