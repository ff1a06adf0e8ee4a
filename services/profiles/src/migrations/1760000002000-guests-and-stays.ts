import type { MigrationInterface, QueryRunner } from 'typeorm';

export class GuestsAndStays1760000002000 implements MigrationInterface {
  name = 'GuestsAndStays1760000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table guests (
        id uuid primary key,
        points_balance integer,
        points_as_of timestamptz,
        created_at timestamptz not null default now()
      )`);
    await queryRunner.query(`
      create table guest_identities (
        source text not null,
        reference text not null,
        guest_id uuid not null references guests (id),
        primary key (source, reference)
      )`);
    await queryRunner.query(`
      create table stays (
        id uuid primary key,
        guest_id uuid not null references guests (id),
        property_id text not null,
        reservation_id text not null,
        arrival date not null,
        departure date not null,
        nights integer not null,
        recorded_at timestamptz not null default now(),
        unique (property_id, reservation_id)
      )`);
    await queryRunner.query('create index stays_guest on stays (guest_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table stays');
    await queryRunner.query('drop table guest_identities');
    await queryRunner.query('drop table guests');
  }
}
