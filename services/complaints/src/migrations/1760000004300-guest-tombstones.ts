import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What is left of a merged or erased guest: which guest it was merged into (always the final survivor)
 * and when it was erased. A stay, tier change or detractor of such an id can arrive after the merge
 * (topic lag, a replayed dead letter) and is then the survivor's.
 */
export class GuestTombstones1760000004300 implements MigrationInterface {
  name = 'GuestTombstones1760000004300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table guest_tombstones (
        guest_id uuid primary key,
        merged_into uuid,
        erased_at timestamptz
      )`);
    await queryRunner.query('create index guest_tombstones_merged_into on guest_tombstones (merged_into)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table guest_tombstones');
  }
}
