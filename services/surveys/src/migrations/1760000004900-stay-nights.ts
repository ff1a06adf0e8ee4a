import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The nights each stay was adjusted to, as the latest posted `stay-adjusted` (v2) naming them left them, by
 * property and reservation, what an adjustment names a stay by. An adjustment comes straight from the
 * property and often before its stay, so it is kept whether or not the stay's invitation is there, and read
 * when the stay is recorded and when its invitation is due. `adjusted_at` and `adjustment_key` order the
 * postings (the key in byte order, as the service compares them). Erasure deletes a stay's row with the
 * stay's ids. A new table: nothing waits for its creation.
 */
export class StayNights1760000004900 implements MigrationInterface {
  name = 'StayNights1760000004900';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table stay_nights (
        property_id text not null,
        reservation_id text not null,
        nights integer not null check (nights >= 0),
        adjusted_at timestamptz not null,
        adjustment_key text collate "C" not null,
        primary key (property_id, reservation_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table stay_nights');
  }
}
