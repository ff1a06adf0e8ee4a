import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reservations by guest: every scoped read of a profile asks which properties the guest stayed at or
 * booked, and a merge or erasure re-points or removes the guest's reservations. Without it each of them
 * read the whole table, which grows with every booking.
 */
export class ReservationsByGuest1760000002950 implements MigrationInterface {
  name = 'ReservationsByGuest1760000002950';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('create index reservations_guest on reservations (guest_id, property_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index reservations_guest');
  }
}
