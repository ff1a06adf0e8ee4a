import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StayCredits1760000001000 implements MigrationInterface {
  name = 'StayCredits1760000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table accounts (
        guest_id uuid primary key,
        balance integer not null check (balance >= 0)
      )`);
    await queryRunner.query(`
      create table stay_credits (
        stay_id uuid primary key,
        guest_id uuid not null,
        points integer not null check (points > 0),
        credited_at timestamptz not null default now()
      )`);
    await queryRunner.query('create index stay_credits_guest on stay_credits (guest_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table stay_credits');
    await queryRunner.query('drop table accounts');
  }
}
