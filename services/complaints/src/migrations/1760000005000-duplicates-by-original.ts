import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The duplicates of a complaint, which a cancel of it looks for (a complaint with some is not cancelled). */
export class DuplicatesByOriginal1760000005000 implements MigrationInterface {
  name = 'DuplicatesByOriginal1760000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'create index complaints_duplicate_of on complaints (duplicate_of) where duplicate_of is not null',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index complaints_duplicate_of');
  }
}
