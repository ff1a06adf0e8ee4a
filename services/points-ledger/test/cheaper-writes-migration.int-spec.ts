import type { QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@loyalty/testing';
import { LEDGER_MIGRATIONS } from '../src/app.module';
import { CheaperWrites1760000013000 } from '../src/migrations/1760000013000-cheaper-writes';

describe('points-ledger migration 1760000013000, cheaper writes (real Postgres)', () => {
  let db: TestDatabase;
  // The suite's database answers `query` as a query runner does, which is all the migrations use.
  const runner = () => db as unknown as QueryRunner;
  const migration = new CheaperWrites1760000013000();

  beforeAll(async () => {
    db = await createTestDatabase('ledger_cheaper_writes');
    for (const earlier of LEDGER_MIGRATIONS.slice(0, LEDGER_MIGRATIONS.indexOf(CheaperWrites1760000013000)))
      await new earlier().up(runner());
  });

  afterAll(() => db?.drop());

  async function fillfactors(): Promise<Record<string, string[] | null>> {
    const rows = await db.query<{ relname: string; reloptions: string[] | null }>(
      `select relname, reloptions from pg_class
       where relname in ('accounts', 'qualifying_progress', 'ledger_entries') order by relname`,
    );
    return Object.fromEntries(rows.map((row) => [row.relname, row.reloptions]));
  }

  async function uniqueConstraints(): Promise<string[]> {
    const rows = await db.query<{ conname: string }>(
      `select conname from pg_constraint
       where conrelid = 'ledger_entries'::regclass and contype in ('u', 'p') order by conname`,
    );
    return rows.map((row) => row.conname);
  }

  /** An entry as this version and the previous one write it: keyed `<account_id>:<sequence>`. */
  const entry = (id: string, accountId: string, sequence: number) =>
    db.query(
      `insert into ledger_entries (id, entry_key, account_id, sequence, type, points, occurred_at, cause_kind, cause)
       values ($1, $2, $3, $4, 'adjust', 10, now(), 'staff', '{}')`,
      [id, `${accountId}:${sequence}`, accountId, sequence],
    );

  it('should leave accounts and qualifying progress with room for HOT updates and entries unique by account and sequence alone, then put both back when reverted', async () => {
    expect(await uniqueConstraints()).toEqual([
      'ledger_entries_account_id_sequence_key',
      'ledger_entries_entry_key_key',
      'ledger_entries_pkey',
    ]);
    expect(await fillfactors()).toEqual({ accounts: null, ledger_entries: null, qualifying_progress: null });

    await migration.up(runner());

    expect(await uniqueConstraints()).toEqual([
      'ledger_entries_account_id_sequence_key',
      'ledger_entries_pkey',
    ]);
    expect(await fillfactors()).toEqual({
      accounts: ['fillfactor=80'],
      ledger_entries: null,
      qualifying_progress: ['fillfactor=80'],
    });
    const accountId = '6f1b0c5e-2d7a-4c1e-9b3f-0a8d2e4c6b11';
    await db.query(
      `insert into accounts (id, guest_id, opened_at, last_activity_at) values ($1, $2, now(), now())`,
      [accountId, accountId],
    );
    await entry('00000000-0000-5000-8000-000000000001', accountId, 1);
    await expect(entry('00000000-0000-5000-8000-000000000002', accountId, 1)).rejects.toThrow(
      /ledger_entries_account_id_sequence_key/,
    );

    await migration.down(runner());
    expect(await uniqueConstraints()).toEqual([
      'ledger_entries_account_id_sequence_key',
      'ledger_entries_entry_key_key',
      'ledger_entries_pkey',
    ]);
    expect(await fillfactors()).toEqual({ accounts: null, ledger_entries: null, qualifying_progress: null });
  });
});
