import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Room types of stays, so preferences can be learned from what guests book. */
export class LearnedPreferences1760000002200 implements MigrationInterface {
  name = 'LearnedPreferences1760000002200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`alter table stays add column room_type text`);
    await queryRunner.query(`create index stays_guest_departure on stays (guest_id, departure desc)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop index stays_guest_departure`);
    await queryRunner.query(`alter table stays drop column room_type`);
  }
}
