import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Surveys' tables. `invitations` is the durable schedule (one row per stay, its state moves
 * scheduled → sent → answered, or to skipped with a reason); `survey_daily` and `survey_daily_scores`
 * are the incremental aggregates, one row of sums per property and local day (and dimension).
 */
export class Surveys1760000004000 implements MigrationInterface {
  name = 'Surveys1760000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table survey_brands (
        brand text primary key,
        recontact_days integer not null check (recontact_days between 0 and 365)
      );
      create table survey_properties (
        property_id text primary key,
        brand text,
        time_zone text not null default 'UTC',
        sampling_percent numeric(5, 2) not null default 100 check (sampling_percent between 0 and 100),
        delay_days integer not null default 1 check (delay_days between 0 and 14),
        send_hour integer not null default 10 check (send_hour between 8 and 20)
      );
      create index survey_properties_brand on survey_properties (brand);
      create table survey_guests (
        guest_id uuid primary key,
        merged_into uuid,
        erased_at timestamptz,
        preferred_language text,
        surveys_consent boolean,
        email_on_file boolean not null default false,
        phone_on_file boolean not null default false,
        last_invited_at timestamptz
      );
      create table survey_templates (
        template_id text not null,
        version integer not null,
        scope text not null check (scope in ('chain', 'brand', 'property')),
        scope_id text not null default '*',
        questions jsonb not null,
        published_at timestamptz not null default now(),
        primary key (template_id, version)
      );
      create index survey_templates_scope on survey_templates (scope, scope_id, published_at desc);
      create table invitations (
        survey_id uuid primary key,
        stay_id uuid not null unique,
        guest_id uuid,
        property_id text not null,
        reservation_id text not null,
        arrival date not null,
        departure date not null,
        due_at timestamptz not null,
        state text not null check (state in ('scheduled', 'sent', 'skipped', 'answered')),
        skip_reason text,
        channel text,
        language text,
        template_id text,
        template_version integer,
        invited_at timestamptz,
        expires_at timestamptz,
        answered_at timestamptz,
        unique (property_id, reservation_id)
      );
      create index invitations_due on invitations (due_at) where state = 'scheduled';
      create index invitations_guest on invitations (guest_id);
      create index invitations_sent on invitations (property_id, invited_at) where invited_at is not null;
      create table answers (
        survey_id uuid primary key references invitations (survey_id),
        guest_id uuid,
        property_id text not null,
        local_day date not null,
        nps smallint,
        csat smallint,
        scores jsonb not null,
        comment text,
        completed_at timestamptz not null
      );
      create index answers_guest on answers (guest_id);
      create table survey_daily (
        property_id text not null,
        day date not null,
        invited integer not null default 0,
        responses integer not null default 0,
        promoters integer not null default 0,
        passives integer not null default 0,
        detractors integer not null default 0,
        csat_count integer not null default 0,
        csat_sum bigint not null default 0,
        primary key (property_id, day)
      );
      create table survey_daily_scores (
        property_id text not null,
        day date not null,
        dimension text not null,
        n integer not null,
        sum bigint not null,
        pairs integer not null,
        sum_x bigint not null,
        sum_xx bigint not null,
        sum_y bigint not null,
        sum_yy bigint not null,
        sum_xy bigint not null,
        primary key (property_id, day, dimension)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'survey_daily_scores',
      'survey_daily',
      'answers',
      'invitations',
      'survey_templates',
      'survey_guests',
      'survey_properties',
      'survey_brands',
    ])
      await queryRunner.query(`drop table ${table}`);
  }
}
