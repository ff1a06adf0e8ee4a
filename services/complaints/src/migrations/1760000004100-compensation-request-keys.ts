import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `Idempotency-Key` of a compensation request: a client retrying after a lost response must get the
 * first request's compensation back, not a second one granted under a new id. Unique per complaint, so
 * two complaints never share a key's compensation.
 */
export class CompensationRequestKeys1760000004100 implements MigrationInterface {
  name = 'CompensationRequestKeys1760000004100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table compensations add column request_key text');
    await queryRunner.query(`
      alter table compensations add constraint compensations_complaint_request_key
        unique (complaint_id, request_key)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table compensations drop column request_key');
  }
}
