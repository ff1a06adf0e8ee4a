import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The nights of each stay as the latest posted `stay-adjusted` (v2) naming them left it, by property and
 * reservation, what an adjustment names a stay by: a stay at 0 nights is no visit. An adjustment comes
 * straight from the property and often before its stay, so it is kept whether or not the stay is
 * there, and read with the stay whenever that comes. `adjusted_at` and `adjustment_key` order the
 * postings: the latest posted stands. A stay batch writes the row of each of its stays too, with no
 * posting (all three null) unless one is there: the row orders a stay with its own adjustments, so a
 * batch and an adjustment of the same stay handled at the same moment wait for each other (and no one
 * else). The index on `guest_visits` finds an adjusted stay's guest; the partial one on `stay_nights` answers
 * "is this stay at 0 nights" from the index alone, as every stay has a row and most are visits.
 */
export class StayNights1760000005300 implements MigrationInterface {
  name = 'StayNights1760000005300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table stay_nights (
        property_id text not null,
        reservation_id text not null,
        nights integer,
        adjusted_at timestamptz,
        adjustment_key text,
        primary key (property_id, reservation_id),
        constraint stay_nights_posting check (
          (nights is null) = (adjusted_at is null) and (nights is null) = (adjustment_key is null))
      )`);
    await queryRunner.query(
      `create index stay_nights_at_zero on stay_nights (property_id, reservation_id) where nights = 0`,
    );
    await queryRunner.query(
      `create index guest_visits_reservation on guest_visits (property_id, reservation_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index guest_visits_reservation');
    await queryRunner.query('drop table stay_nights');
  }
}
