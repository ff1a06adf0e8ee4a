import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A reversal of a stay whose points expired counts the expired ones as taken back already
 * (`already_expired`), as the guest lost them at expiry: what it took back is its debit, the clawback it
 * created and these. The append-only trigger guards the column as it guards the other amounts. A reversal
 * reads the expired lots of the earn entries it takes back, by their source entry.
 */
export class ReversalsOfExpiredPoints1760000011000 implements MigrationInterface {
  name = 'ReversalsOfExpiredPoints1760000011000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The check holds for every existing row, which all get the default 0: `not valid` spares a scan of the
    // whole ledger under this migration's exclusive lock, and new rows are still checked.
    await queryRunner.query(
      `alter table ledger_entries add column already_expired integer not null default 0`,
    );
    await queryRunner.query(
      `alter table ledger_entries add constraint ledger_entries_already_expired_check
         check (already_expired >= 0) not valid`,
    );
    await queryRunner.query(appendOnlyFunction('and new.already_expired = old.already_expired'));
    await queryRunner.query(
      `create index lots_expired_by_source on lots (source_entry_key) where state = 'expired'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index lots_expired_by_source');
    await queryRunner.query(appendOnlyFunction(''));
    // Code from before this migration would take expired points again on a later refund of those stays.
    await queryRunner.query('alter table ledger_entries drop column already_expired');
  }
}

/** The append-only trigger's function (migration 1760000002000), with `extraUnchanged` among the columns erasure may not edit. */
const appendOnlyFunction = (extraUnchanged: string): string => `
  create or replace function ledger_entries_append_only() returns trigger language plpgsql as $$
  begin
    -- The one permitted edit: erasing a guest redacts free text, inside a transaction that says so,
    -- and may not touch what the entry means (amounts, order, account, cause kind).
    if tg_op = 'UPDATE' and current_setting('ledger.erasure', true) = 'on'
       and new.id = old.id and new.entry_key = old.entry_key and new.account_id = old.account_id
       and new.sequence = old.sequence and new.type = old.type and new.points = old.points
       and new.clawback_delta = old.clawback_delta and new.occurred_at = old.occurred_at
       and new.cause_kind = old.cause_kind and new.earn is not distinct from old.earn ${extraUnchanged} then
      return new;
    end if;
    raise exception 'ledger_entries is append-only: % refused', tg_op using errcode = 'P0001';
  end $$`;
