import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who changed a property's business calendar, when, and from what to what: a calendar moves every SLA
 * deadline at its property. Append-only, as `complaint_audit` is. A new table: instances of the previous
 * version, which do not write it, run on beside it; the changes they make are not recorded.
 */
export class CalendarChanges1760000005500 implements MigrationInterface {
  name = 'CalendarChanges1760000005500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table property_calendar_changes (
        id bigserial primary key,
        property_id text not null,
        at timestamptz not null,
        actor text not null,
        actor_roles text[] not null,
        before jsonb,
        after jsonb not null
      )`);
    await queryRunner.query(
      'create index property_calendar_changes_property on property_calendar_changes (property_id, id)',
    );
    await queryRunner.query(`
      create function property_calendar_changes_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'property_calendar_changes is append-only: % refused', tg_op using errcode = 'P0001';
      end $$`);
    await queryRunner.query(`
      create trigger property_calendar_changes_append_only before update or delete on property_calendar_changes
      for each row execute function property_calendar_changes_append_only()`);
    await queryRunner.query(`
      create trigger property_calendar_changes_no_truncate before truncate on property_calendar_changes
      for each statement execute function property_calendar_changes_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table property_calendar_changes');
    await queryRunner.query('drop function property_calendar_changes_append_only');
  }
}
