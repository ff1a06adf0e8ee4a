import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A parked stay adjustment that can never apply (its stay never came, its account was closed) is discarded
 * by a chain admin rather than left parked for ever: the row moves here whole, its event as received, with
 * who discarded it (staff id and roles, as `account_status_changes` keeps them), when and why, so nothing
 * the property sent is lost. A new table: pods of the previous version neither read nor write it.
 *
 * Not unique by stay and adjustment: a delivery racing the discard can park the same adjustment again, and
 * a second discard of it is a second record. `account_id` (the account it would have applied to) has no
 * foreign key: checking one would lock the account's row while the discard holds the parked row, the
 * reverse of the order in which a transaction applying adjustments to that account takes them.
 */
export class DiscardedStayAdjustments1760000012000 implements MigrationInterface {
  name = 'DiscardedStayAdjustments1760000012000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table discarded_stay_adjustments (
        id bigint generated always as identity primary key,
        stay_key text not null,
        adjustment_key text not null,
        event jsonb not null,
        parked_at timestamptz not null,
        parked_because text not null
          check (parked_because in ('stay-not-credited', 'awaiting-reactivation', 'on-closed-account', 'awaiting-job')),
        account_id text,
        reason text not null,
        staff_id text not null,
        staff_roles text[] not null,
        discarded_at timestamptz not null
      )`);
    await queryRunner.query(
      'create index discarded_stay_adjustments_key on discarded_stay_adjustments (stay_key, adjustment_key)',
    );
    await queryRunner.query(
      'create index discarded_stay_adjustments_account on discarded_stay_adjustments (account_id) where account_id is not null',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table discarded_stay_adjustments');
  }
}
