import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A guest's access log is read in id order (its pages and the export), which the index by access time
 * could not give without sorting the guest's whole log for each page.
 */
export class AccessLogInIdOrder1760000003200 implements MigrationInterface {
  name = 'AccessLogInIdOrder1760000003200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('create index access_log_guest_in_order on access_log (guest_id, id)');
    await queryRunner.query('drop index access_log_guest');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('create index access_log_guest on access_log (guest_id, accessed_at)');
    await queryRunner.query('drop index access_log_guest_in_order');
  }
}
