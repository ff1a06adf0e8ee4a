import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keeps on each SLA timer when its clock stood still awaiting the guest (`waits`), so that a reclassification
 * between business hours and round the clock counts the wait in the new policy's working time. Timers
 * already stored keep null: their waits are unknown, and they are re-timed as before. A nullable column
 * changes no row: instances of the previous version, which neither read nor write it, run on beside it.
 */
export class TimerWaits1760000005600 implements MigrationInterface {
  name = 'TimerWaits1760000005600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`alter table sla_timers add column waits jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`alter table sla_timers drop column waits`);
  }
}
