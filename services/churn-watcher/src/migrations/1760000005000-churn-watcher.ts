import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Visits per guest (the stays themselves, so merges can combine them and duplicates are ignored), the
 * summary the model scores, risk signals, lapse episodes (at most one open per guest, enforced by a
 * partial unique index: one alert per episode), every fitted model, and the durable schedule.
 */
export class ChurnWatcher1760000005000 implements MigrationInterface {
  name = 'ChurnWatcher1760000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table guest_visits (
        guest_id uuid not null,
        stay_id uuid not null,
        property_id text not null,
        reservation_id text not null,
        arrival date not null,
        departure date not null,
        visit_day integer not null,
        channel text not null,
        primary key (guest_id, stay_id)
      )`);
    await queryRunner.query(`
      create table guests (
        guest_id uuid primary key,
        segment text not null,
        first_day integer not null,
        last_day integer not null,
        repeat_visits integer not null,
        mean_interval_days double precision not null,
        interval_deviation_days double precision not null,
        updated_at timestamptz not null
      )`);
    await queryRunner.query(`create index guests_repeat_visits on guests (repeat_visits)`);
    await queryRunner.query(`
      create table churn_signals (
        guest_id uuid not null,
        kind text not null,
        reference text not null,
        at timestamptz not null,
        primary key (guest_id, kind, reference)
      )`);
    await queryRunner.query(`
      create table churn_models (
        id serial primary key,
        segment text not null,
        r double precision not null,
        alpha double precision not null,
        a double precision not null,
        b double precision not null,
        log_likelihood double precision not null,
        guests integer not null,
        fitted_at timestamptz not null
      )`);
    await queryRunner.query(`create index churn_models_latest on churn_models (segment, id desc)`);
    await queryRunner.query(`
      create table churn_episodes (
        id uuid primary key,
        guest_id uuid not null,
        risk_level text not null,
        evidence jsonb not null,
        model_id integer not null references churn_models (id),
        opened_at timestamptz not null,
        closed_at timestamptz,
        closed_by text
      )`);
    await queryRunner.query(
      `create unique index churn_episodes_one_open on churn_episodes (guest_id) where closed_at is null`,
    );
    await queryRunner.query(`
      create table churn_schedule (
        job text primary key,
        next_run_at timestamptz not null,
        last_run_at timestamptz,
        last_result jsonb
      )`);
    await queryRunner.query(
      `insert into churn_schedule (job, next_run_at) values ('refit', '-infinity'), ('scan', '-infinity')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'churn_schedule',
      'churn_episodes',
      'churn_models',
      'churn_signals',
      'guests',
      'guest_visits',
    ]) {
      await queryRunner.query(`drop table ${table}`);
    }
  }
}
