import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IngestedEvents1760000006000 implements MigrationInterface {
  name = 'IngestedEvents1760000006000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table ingested_events (
        event_id uuid primary key,
        event_type text not null,
        system text not null,
        received_at timestamptz not null default now()
      )`);
    await queryRunner.query('create index ingested_events_received on ingested_events (received_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table ingested_events');
  }
}
