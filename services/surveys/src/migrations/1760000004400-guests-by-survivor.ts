import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ids merged into each guest: a registration batch asks whether any of its guests is a survivor, and
 * a merge re-points the ids merged into the profile it merges away. Few guests are merged, so the index
 * holds only those.
 */
export class GuestsBySurvivor1760000004400 implements MigrationInterface {
  name = 'GuestsBySurvivor1760000004400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'create index survey_guests_by_survivor on survey_guests (merged_into) where merged_into is not null',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index survey_guests_by_survivor');
  }
}
