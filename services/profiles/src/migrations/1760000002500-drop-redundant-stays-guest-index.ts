import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `stays_guest_departure (guest_id, departure desc)` answers every lookup of a guest's stays that
 * `stays_guest (guest_id)` did, so the narrower index only cost an index entry and its WAL per stay.
 */
export class DropRedundantStaysGuestIndex1760000002500 implements MigrationInterface {
  name = 'DropRedundantStaysGuestIndex1760000002500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index stays_guest');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('create index stays_guest on stays (guest_id)');
  }
}
