import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two costs every credit paid for nothing.
 *
 * `ledger_entries_entry_key_key`: an entry's key is `<account_id>:<sequence>`, which `unique (account_id,
 * sequence)` already keeps unique (and `id`, the primary key, is derived from the key). No statement looks
 * an entry up by its key alone or names it as a conflict target, this version's or the previous one's, so
 * its unique index was only written, on every entry.
 *
 * `fillfactor = 80` on `accounts` and `qualifying_progress`: both rows are rewritten by nearly every
 * credit, and an update that finds room on the row's own page is a HOT update, which writes no index
 * entries and leaves the old version for the page to prune itself. Measured: HOT updates went from about
 * 40% to 67%. It applies to pages written from now on; existing pages fill up as before until rewritten.
 *
 * Safe while pods of the previous version run: they neither read the index nor depend on page layout. The
 * fillfactor takes a SHARE UPDATE EXCLUSIVE lock, which blocks no reads or writes; dropping the constraint
 * takes ACCESS EXCLUSIVE on `ledger_entries`, held for a catalog change only, but while it waits for
 * running transactions every writer queues behind it: it gives up after a moment instead, and the start-up
 * that ran it fails and is retried, with nothing changed.
 */
export class CheaperWrites1760000013000 implements MigrationInterface {
  name = 'CheaperWrites1760000013000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`set local lock_timeout = '3s'`);
    await queryRunner.query('alter table ledger_entries drop constraint ledger_entries_entry_key_key');
    await queryRunner.query('alter table accounts set (fillfactor = 80)');
    await queryRunner.query('alter table qualifying_progress set (fillfactor = 80)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table qualifying_progress reset (fillfactor)');
    await queryRunner.query('alter table accounts reset (fillfactor)');
    await queryRunner.query(
      'alter table ledger_entries add constraint ledger_entries_entry_key_key unique (entry_key)',
    );
  }
}
