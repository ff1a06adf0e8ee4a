import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fingerprint of the request that first used an `Idempotency-Key` (SHA-256 of its route and body), to
 * tell a retry, answered with the first request's result, from the key reused for another request, which
 * is refused. Keys kept before this have none and are still answered as retries.
 */
export class RequestFingerprints1760000004400 implements MigrationInterface {
  name = 'RequestFingerprints1760000004400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table complaints add column intake_fingerprint text');
    await queryRunner.query('alter table compensations add column request_fingerprint text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table compensations drop column request_fingerprint');
    await queryRunner.query('alter table complaints drop column intake_fingerprint');
  }
}
