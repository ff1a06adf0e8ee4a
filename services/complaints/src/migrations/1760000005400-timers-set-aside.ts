import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets the SLA scanner set aside a timer it could not fire (`scan_failure`, `scan_attempts`, tried again from
 * `scan_retry_at`), so that the others due escalate. Nullable columns and a constant default change no row:
 * instances of the previous version, which neither read nor write them, run on beside it.
 */
export class TimersSetAside1760000005400 implements MigrationInterface {
  name = 'TimersSetAside1760000005400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      alter table sla_timers
        add column scan_attempts integer not null default 0,
        add column scan_failure text,
        add column scan_retry_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      alter table sla_timers drop column scan_attempts, drop column scan_failure, drop column scan_retry_at`);
  }
}
