import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fingerprint of each event's content, so a re-send (the same content) is told apart from another
 * event sent under an id used before. Events received before have none and count as re-sent.
 */
export class IngestedEventFingerprints1760000006100 implements MigrationInterface {
  name = 'IngestedEventFingerprints1760000006100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table ingested_events add column fingerprint text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table ingested_events drop column fingerprint');
  }
}
