import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each property's invitation list in its own order (state, then newest first by the instant sent or due,
 * then survey id): a page of some properties read `invitations_listed` and passed over every other
 * property's invitations in that state, all of them for a property with fewer than a page. The instants the
 * order is computed from are included, so a page of many properties takes each one's candidates from the
 * index alone and reads the table only for the rows it keeps. Built concurrently, so pods still running keep
 * writing invitations meanwhile; a build that failed leaves an invalid index, dropped before the next try.
 */
export class InvitationsListedByProperty1760000005300 implements MigrationInterface {
  name = 'InvitationsListedByProperty1760000005300';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index concurrently if exists invitations_listed_by_property');
    await queryRunner.query(
      `create index concurrently invitations_listed_by_property
       on invitations (property_id, state, (coalesce(invited_at, due_at)) desc, survey_id desc)
       include (invited_at, due_at)`,
    );
  }

  // Not `concurrently`: TypeORM reverts a migration in a transaction whatever its `transaction` says.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index if exists invitations_listed_by_property');
  }
}
