import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What is left of an erased or merged guest: the id, and when erased or which guest it was merged into.
 * A stay for such an id can arrive after the erasure or merge (topic lag, a replayed dead letter) and
 * would otherwise bring the guest back; as in surveys, `merged_into` always names the final survivor.
 */
export class GuestTombstones1760000005100 implements MigrationInterface {
  name = 'GuestTombstones1760000005100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table guest_tombstones (
        guest_id uuid primary key,
        merged_into uuid,
        erased_at timestamptz
      )`);
    await queryRunner.query(`create index guest_tombstones_merged_into on guest_tombstones (merged_into)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table guest_tombstones');
  }
}
