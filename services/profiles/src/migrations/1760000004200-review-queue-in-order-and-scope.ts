import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the review queue reads a page through, instead of probing every open suggestion's guests for each page:
 * - the open suggestions in the queue's order (strongest first, then oldest, then by id), the score negated so
 *   that a cursor's position is one row comparison the index seeks to, and a page walks on from it;
 * - the guests who stayed or booked at a property, from the property's side: what a property's suggestions are
 *   counted from (and a page's probe of one guest's stays reads, without the table).
 * Built concurrently, so pods still running keep writing meanwhile; a build that failed leaves an invalid
 * index, dropped before the next try.
 */
export class ReviewQueueInOrderAndScope1760000004200 implements MigrationInterface {
  name = 'ReviewQueueInOrderAndScope1760000004200';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [index, definition] of INDEXES) {
      await queryRunner.query(`drop index concurrently if exists ${index}`);
      await queryRunner.query(`create index concurrently ${index} on ${definition}`);
    }
  }

  // Not `concurrently`: TypeORM reverts a migration in a transaction whatever its `transaction` says.
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [index] of INDEXES) await queryRunner.query(`drop index if exists ${index}`);
  }
}

const INDEXES = [
  ['match_suggestions_queue', `match_suggestions ((-score), created_at, id) where status = 'open'`],
  ['stays_guests_at_property', 'stays (property_id, guest_id)'],
  ['reservations_guests_at_property', 'reservations (property_id, guest_id)'],
] as const;
