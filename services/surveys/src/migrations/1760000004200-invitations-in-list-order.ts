import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The invitation list in its own order (state, then newest first by the instant sent or due, then survey
 * id), so a page reads its rows straight from the index wherever its cursor points, instead of sorting
 * every invitation in that state for each page.
 */
export class InvitationsInListOrder1760000004200 implements MigrationInterface {
  name = 'InvitationsInListOrder1760000004200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'create index invitations_listed on invitations (state, (coalesce(invited_at, due_at)) desc, survey_id desc)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index invitations_listed');
  }
}
