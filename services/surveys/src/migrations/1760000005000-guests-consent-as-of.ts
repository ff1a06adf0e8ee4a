import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * As of when each guest's consent to surveys holds: the instant profiles gave it (an update's `updatedAt`,
 * a registration's `enrolledAt`), so news of consent handled after newer news (a dead letter replayed, a
 * survivor's update after a merge folded in a newer refusal) does not undo it. Rows kept before have none:
 * their consent is replaced by the next update, as it was, which then gives them one. Pods of the previous
 * version write consent without it until they stop. Nullable with no default, the column is added without
 * rewriting the table.
 */
export class GuestsConsentAsOf1760000005000 implements MigrationInterface {
  name = 'GuestsConsentAsOf1760000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table survey_guests add column surveys_consent_as_of timestamptz');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table survey_guests drop column surveys_consent_as_of');
  }
}
