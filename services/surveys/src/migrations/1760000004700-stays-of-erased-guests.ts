import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erased guests' invitations still naming their stay: those erased before the service replaced the stay's
 * ids on erasure, and those pods of the previous version erase until they stop. The service looks for them
 * at start-up and on a slow schedule; once cut off, they leave the index, so the look reads next to
 * nothing. Built concurrently, so pods still running keep writing invitations meanwhile; a build that
 * failed leaves an invalid index, dropped before the next try.
 */
export class StaysOfErasedGuests1760000004700 implements MigrationInterface {
  name = 'StaysOfErasedGuests1760000004700';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index concurrently if exists invitations_stays_of_erased_guests');
    await queryRunner.query(
      `create index concurrently invitations_stays_of_erased_guests on invitations (survey_id)
       where guest_id is null and reservation_id not like 'erased:%'`,
    );
  }

  // Not `concurrently`: TypeORM reverts a migration in a transaction whatever its `transaction` says.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index if exists invitations_stays_of_erased_guests');
  }
}
