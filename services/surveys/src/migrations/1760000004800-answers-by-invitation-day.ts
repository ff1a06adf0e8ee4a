import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each day's invitations answered (whenever the answer came), the response rate's numerator. Counted from
 * the answers there are: pods of the previous version, still answering while this runs and until they
 * stop, do not count theirs. An invitation is counted on the local day it was sent, as the sender counts
 * it; a property whose time zone this Postgres does not know counts in UTC rather than failing the
 * migration. The rows are written in key order, as every writer of them does.
 */
export class AnswersByInvitationDay1760000004800 implements MigrationInterface {
  name = 'AnswersByInvitationDay1760000004800';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'alter table survey_daily add column invited_answered integer not null default 0',
    );
    await queryRunner.query(`
      with zones as (
        select p.property_id, coalesce(z.name, 'UTC') as time_zone
        from survey_properties p left join pg_timezone_names z on z.name = p.time_zone),
      answered as (
        select i.property_id, (i.invited_at at time zone coalesce(z.time_zone, 'UTC'))::date as day,
               count(*)::int as invited_answered
        from answers a join invitations i on i.survey_id = a.survey_id
          left join zones z on z.property_id = i.property_id
        where i.invited_at is not null
        group by 1, 2)
      insert into survey_daily (property_id, day, invited_answered)
      select property_id, day, invited_answered from answered order by property_id, day
      on conflict (property_id, day) do update set invited_answered = excluded.invited_answered`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table survey_daily drop column invited_answered');
  }
}
