import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail of account status (suspend, reactivate, close): who did it and why. A status change
 * moves no points, so it is not a ledger entry; it gets its own table, kept beside the entries.
 */
export class AccountStatusChanges1760000003000 implements MigrationInterface {
  name = 'AccountStatusChanges1760000003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table account_status_changes (
        id bigserial primary key,
        account_id text not null references accounts (id),
        from_status text not null,
        to_status text not null,
        reason text not null,
        staff_id text not null,
        staff_roles text[] not null,
        changed_at timestamptz not null
      )`);
    await queryRunner.query(
      'create index account_status_changes_account on account_status_changes (account_id, changed_at)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table account_status_changes');
  }
}
