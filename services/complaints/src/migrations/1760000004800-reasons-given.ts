import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What staff wrote to justify a cancel or a reopen, beside its audit line: free text about the guest, which
 * erasure blanks, cannot sit in the append-only audit trail.
 */
export class ReasonsGiven1760000004800 implements MigrationInterface {
  name = 'ReasonsGiven1760000004800';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'create table complaint_reasons (audit_id bigint primary key references complaint_audit (id), reason text)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table complaint_reasons');
  }
}
