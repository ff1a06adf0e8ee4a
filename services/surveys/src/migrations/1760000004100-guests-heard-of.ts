import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether profiles has announced a guest, apart from the rows merges and erasures create for ids not
 * heard of yet: the sender waits for news of a guest whose row is only such a placeholder. Existing rows
 * that hold anything profiles said (a channel, a consent, a language) or that were invited were heard of;
 * a guest registered with none of those cannot be told from a placeholder and waits for their next news.
 */
export class GuestsHeardOf1760000004100 implements MigrationInterface {
  name = 'GuestsHeardOf1760000004100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table survey_guests add column heard_of boolean not null default false');
    await queryRunner.query(
      `update survey_guests set heard_of = true
       where email_on_file or phone_on_file or surveys_consent is not null or preferred_language is not null
          or last_invited_at is not null`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table survey_guests drop column heard_of');
  }
}
