import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A cancellation can arrive before its reservation (separate topics): it is kept as a row that knows only
 * that the reservation is cancelled, and the late reservation fills in the rest.
 */
export class ReservationCancellationPlaceholders1760000002600 implements MigrationInterface {
  name = 'ReservationCancellationPlaceholders1760000002600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `alter table reservations alter column guest_id drop not null, alter column arrival drop not null,
         alter column departure drop not null, alter column room_type drop not null`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('delete from reservations where guest_id is null');
    await queryRunner.query(
      `alter table reservations alter column guest_id set not null, alter column arrival set not null,
         alter column departure set not null, alter column room_type set not null`,
    );
  }
}
