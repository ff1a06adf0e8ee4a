import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's sequence of the balance held (`balanceSequence`): of two balances it announces at one instant,
 * or one booked at the time a transaction began that waited for the account, the higher sequence is the
 * newer. Balances held from before have none, and the next is compared with them by its instant.
 */
export class PointsBalanceSequence1760000003600 implements MigrationInterface {
  name = 'PointsBalanceSequence1760000003600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table guest_facts add column points_sequence integer');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table guest_facts drop column points_sequence');
  }
}
