import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether Kafka acknowledged an event: false for one whose send had started when its request gave up
 * waiting (it may still land), so a re-send of the same content is published again while other content
 * under its id stays refused. The default is right for the rows of pods that only record acknowledged
 * events, and a constant default adds the column without rewriting the table.
 */
export class IngestedEventConfirmation1760000006200 implements MigrationInterface {
  name = 'IngestedEventConfirmation1760000006200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table ingested_events add column confirmed boolean not null default true');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table ingested_events drop column confirmed');
  }
}
