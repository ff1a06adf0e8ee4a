import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the country and language a guest's row holds were observed, so a stay or booking handled later but
 * observed earlier (a property system catching up, a replayed dead letter) does not overwrite newer
 * details. Nullable, added without rewriting the table: a row from before takes the next value it is given,
 * as every row did, and keeps its time from then on.
 */
export class GuestDetailsObservedAt1760000004000 implements MigrationInterface {
  name = 'GuestDetailsObservedAt1760000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `alter table guests add column country_code_observed_at timestamptz,
         add column preferred_language_observed_at timestamptz`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'alter table guests drop column country_code_observed_at, drop column preferred_language_observed_at',
    );
  }
}
