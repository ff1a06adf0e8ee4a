import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fingerprint of the request an HTTP `Idempotency-Key` came with, so the key sent again with another
 * request is refused instead of answered with the first one's result. Keys kept before have none.
 */
export class RequestFingerprints1760000006000 implements MigrationInterface {
  name = 'RequestFingerprints1760000006000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table applied_operations add column request_fingerprint text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table applied_operations drop column request_fingerprint');
  }
}
