import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The most qualifying nights and stays each account's year has reached: milestones up to them were paid,
 * and a correction that takes nights off must not make them payable again. Until now the year never fell
 * below its counts as far as milestones knew, so they start at the counts.
 */
export class MilestonesReached1760000009000 implements MigrationInterface {
  name = 'MilestonesReached1760000009000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `alter table qualifying_progress add column nights_reached int not null default 0,
         add column stays_reached int not null default 0`,
    );
    await queryRunner.query(
      'update qualifying_progress set nights_reached = greatest(nights, 0), stays_reached = greatest(stays, 0)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'alter table qualifying_progress drop column nights_reached, drop column stays_reached',
    );
  }
}
