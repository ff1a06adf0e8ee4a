import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's tables. `ledger_entries` is append-only (a trigger refuses UPDATE, DELETE and TRUNCATE);
 * accounts carry the balances as columns so the database itself refuses a negative balance, and
 * `credited_stays` makes a stay creditable once whatever event id it arrives under.
 */
export class Ledger1760000002000 implements MigrationInterface {
  name = 'Ledger1760000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table accounts (
        id text primary key,
        guest_id uuid not null unique,
        status text not null default 'active' check (status in ('active', 'suspended', 'closed')),
        opened_at timestamptz not null,
        last_activity_at timestamptz not null,
        available integer not null default 0 check (available >= 0),
        pending integer not null default 0 check (pending >= 0),
        held integer not null default 0 check (held >= 0),
        balance integer not null default 0,
        lifetime_earned integer not null default 0,
        clawback_owed integer not null default 0 check (clawback_owed >= 0),
        tier_id text not null default 'member',
        tier_valid_until timestamptz,
        tier_lock jsonb,
        next_sequence integer not null default 1,
        next_lot_number integer not null default 1,
        merged_account_ids text[] not null default '{}',
        merged_into text,
        erased_at timestamptz,
        version integer not null default 0,
        constraint balance_is_lots check (balance = available + pending + held)
      )`);
    await queryRunner.query(`
      create table ledger_entries (
        id uuid primary key,
        entry_key text not null unique,
        account_id text not null references accounts (id),
        sequence integer not null,
        type text not null check (type in ('earn', 'redeem', 'expire', 'adjust', 'reverse', 'transfer')),
        points integer not null,
        clawback_delta integer not null default 0,
        occurred_at timestamptz not null,
        cause_kind text not null,
        source_event_id uuid,
        stay_key text,
        earn_entry_key text,
        complaint_id text,
        staff_id text,
        cause jsonb not null,
        earn jsonb,
        unique (account_id, sequence)
      )`);
    await queryRunner.query(
      'create index ledger_entries_account on ledger_entries (account_id, occurred_at)',
    );
    await queryRunner.query(
      'create index ledger_entries_stay on ledger_entries (stay_key) where stay_key is not null',
    );
    await queryRunner.query(`
      create function ledger_entries_append_only() returns trigger language plpgsql as $$
      begin
        -- The one permitted edit: erasing a guest redacts free text, inside a transaction that says so,
        -- and may not touch what the entry means (amounts, order, account, cause kind).
        if tg_op = 'UPDATE' and current_setting('ledger.erasure', true) = 'on'
           and new.id = old.id and new.entry_key = old.entry_key and new.account_id = old.account_id
           and new.sequence = old.sequence and new.type = old.type and new.points = old.points
           and new.clawback_delta = old.clawback_delta and new.occurred_at = old.occurred_at
           and new.cause_kind = old.cause_kind and new.earn is not distinct from old.earn then
          return new;
        end if;
        raise exception 'ledger_entries is append-only: % refused', tg_op using errcode = 'P0001';
      end $$`);
    await queryRunner.query(`
      create trigger ledger_entries_append_only before update or delete on ledger_entries
      for each row execute function ledger_entries_append_only()`);
    await queryRunner.query(`
      create trigger ledger_entries_no_truncate before truncate on ledger_entries
      for each statement execute function ledger_entries_append_only()`);
    await queryRunner.query(`
      create table lots (
        id text primary key,
        account_id text not null references accounts (id),
        parent_lot_id text,
        source_entry_key text not null,
        stay_key text,
        points integer not null check (points > 0),
        state text not null check (state in ('pending', 'available', 'held', 'consumed', 'expired')),
        credited_at timestamptz not null,
        available_at timestamptz not null,
        expires_at timestamptz,
        hold_id text,
        closed_by_entry_key text
      )`);
    await queryRunner.query(
      `create index lots_live on lots (account_id) where state in ('pending', 'available', 'held')`,
    );
    await queryRunner.query(`create index lots_pending_due on lots (available_at) where state = 'pending'`);
    await queryRunner.query(
      `create index lots_expiry on lots (expires_at) where state in ('pending', 'available')`,
    );
    await queryRunner.query(`
      create table holds (
        id text primary key,
        account_id text not null references accounts (id),
        points integer not null check (points > 0),
        state text not null check (state in ('open', 'confirmed', 'released', 'expired')),
        created_at timestamptz not null,
        expires_at timestamptz not null,
        settled_at timestamptz
      )`);
    await queryRunner.query(`create index holds_open on holds (expires_at) where state = 'open'`);
    await queryRunner.query(`
      create table credited_stays (
        stay_key text primary key,
        account_id text not null references accounts (id),
        stay_id uuid not null,
        property_id text not null,
        entry_key text not null,
        points integer not null,
        base_points integer not null,
        qualifying_revenue_minor bigint not null,
        nights integer not null,
        stays integer not null,
        qualifying_year integer not null,
        source_event_id uuid not null,
        credited_at timestamptz not null
      )`);
    await queryRunner.query(`
      create table qualifying_progress (
        account_id text not null references accounts (id),
        year integer not null,
        nights integer not null default 0,
        stays integer not null default 0,
        base_points integer not null default 0,
        primary key (account_id, year)
      )`);
    await queryRunner.query(`
      create table promotion_usage (
        account_id text not null references accounts (id),
        promotion_id text not null,
        period text not null,
        awards integer not null check (awards > 0),
        primary key (account_id, promotion_id, period)
      )`);
    // One row per business operation that must apply once whatever event or request id it comes under.
    await queryRunner.query(`
      create table applied_operations (
        kind text not null,
        key text not null,
        account_id text,
        result jsonb,
        applied_at timestamptz not null default now(),
        primary key (kind, key)
      )`);
    await queryRunner.query(`
      create table job_runs (
        job text not null,
        period text not null,
        ran_at timestamptz not null default now(),
        result jsonb,
        primary key (job, period)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'job_runs',
      'applied_operations',
      'promotion_usage',
      'qualifying_progress',
      'credited_stays',
      'holds',
      'lots',
    ])
      await queryRunner.query(`drop table ${table}`);
    await queryRunner.query('drop trigger ledger_entries_no_truncate on ledger_entries');
    await queryRunner.query('drop trigger ledger_entries_append_only on ledger_entries');
    await queryRunner.query('drop table ledger_entries');
    await queryRunner.query('drop function ledger_entries_append_only');
    await queryRunner.query('drop table accounts');
  }
}
