import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The records each consumer group wrote to a dead-letter topic, by position, so that one delivered again
 * after a lost offset commit is not dead-lettered twice (`EventTransport`). Pruned by age with the inbox.
 */
export class DeadLetterMarks1760000000300 implements MigrationInterface {
  name = 'DeadLetterMarks1760000000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table messaging_dead_lettered (
        consumer_group text not null,
        topic text not null,
        partition integer not null,
        "offset" bigint not null,
        reason text not null,
        dead_lettered_at timestamptz not null default now(),
        primary key (consumer_group, topic, partition, "offset")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table messaging_dead_lettered`);
  }
}
