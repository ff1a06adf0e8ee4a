import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The complaints tables. SLA deadlines live in `sla_timers` so a restart loses none and a scanner on any
 * instance can claim due ones (`for update skip locked`); `complaint_audit` is append-only (a trigger
 * refuses UPDATE, DELETE and TRUNCATE) and holds no free text, so erasing a guest never needs to edit it.
 */
export class Complaints1760000004000 implements MigrationInterface {
  name = 'Complaints1760000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table complaints (
        id uuid primary key,
        guest_id uuid not null,
        property_id text not null,
        stay jsonb,
        reservation_id text,
        channel text not null,
        category text not null,
        aspect text not null,
        severity text not null check (severity in ('low', 'medium', 'high', 'critical')),
        description text,
        status text not null,
        owner_id text,
        owner_role text not null,
        escalation_level integer not null default 0 check (escalation_level between 0 and 3),
        policy_id text not null,
        survey_id uuid unique,
        intake_key text unique,
        opened_at timestamptz not null,
        acknowledged_at timestamptz,
        resolved_at timestamptz,
        closed_at timestamptz,
        resolution text,
        resolution_note text,
        satisfaction integer check (satisfaction between 1 and 5),
        duplicate_of uuid,
        erased_at timestamptz
      )`);
    await queryRunner.query('create index complaints_guest on complaints (guest_id)');
    await queryRunner.query('create index complaints_property on complaints (property_id, opened_at)');
    await queryRunner.query(`
      create table sla_timers (
        id uuid primary key,
        complaint_id uuid not null references complaints (id),
        kind text not null check (kind in ('acknowledgement', 'resolution', 'follow-up')),
        state text not null check (state in ('running', 'paused', 'done', 'cancelled')),
        business_hours boolean not null,
        started_at timestamptz not null,
        target_at timestamptz not null,
        remaining_minutes double precision,
        met_at timestamptz,
        breached_at timestamptz,
        difference_minutes integer
      )`);
    await queryRunner.query(`
      create index sla_timers_due on sla_timers (target_at) where state = 'running' and breached_at is null`);
    await queryRunner.query('create index sla_timers_complaint on sla_timers (complaint_id)');
    await queryRunner.query(`
      create table compensations (
        id uuid primary key,
        complaint_id uuid not null references complaints (id),
        kind text not null,
        points integer,
        discount_percent integer,
        status text not null check (status in ('pending', 'approved')),
        required_role text not null,
        note text,
        requested_by text not null,
        requested_at timestamptz not null,
        approved_by text,
        approved_at timestamptz
      )`);
    await queryRunner.query(`
      create table property_calendars (
        property_id text primary key,
        time_zone text not null,
        hours jsonb not null,
        holidays jsonb not null,
        updated_at timestamptz not null
      )`);
    await queryRunner.query(`
      create table guest_tiers (guest_id uuid primary key, tier text not null, changed_at timestamptz not null)`);
    await queryRunner.query(`
      create table stays (
        stay_id uuid primary key,
        guest_id uuid not null,
        property_id text not null,
        arrival date not null,
        departure date not null
      )`);
    await queryRunner.query('create index stays_guest on stays (guest_id, arrival)');
    await queryRunner.query('create index stays_property on stays (property_id, departure)');
    await queryRunner.query(`
      create table complaint_audit (
        id bigserial primary key,
        complaint_id uuid not null references complaints (id),
        at timestamptz not null,
        actor text not null,
        actor_roles text[] not null,
        action text not null,
        before jsonb,
        after jsonb
      )`);
    await queryRunner.query('create index complaint_audit_complaint on complaint_audit (complaint_id, id)');
    await queryRunner.query(`
      create function complaint_audit_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'complaint_audit is append-only: % refused', tg_op using errcode = 'P0001';
      end $$`);
    await queryRunner.query(`
      create trigger complaint_audit_append_only before update or delete on complaint_audit
      for each row execute function complaint_audit_append_only()`);
    await queryRunner.query(`
      create trigger complaint_audit_no_truncate before truncate on complaint_audit
      for each statement execute function complaint_audit_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'complaint_audit',
      'stays',
      'guest_tiers',
      'property_calendars',
      'compensations',
      'sla_timers',
      'complaints',
    ]) {
      await queryRunner.query(`drop table ${table}`);
    }
    await queryRunner.query('drop function complaint_audit_append_only');
  }
}
