import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether each guest allows profiling, as profiles announced it (`profilingConsent` on `guest-registered`
 * and `guest-updated`), and as of when (`as_of`: the instant of that news), so older news handled later
 * cannot give consent a newer objection took back. A guest who objects (GDPR Art. 21) is left out of the
 * scan and the refit. A table of its own, as the summaries in `guests` come and go with the guest's visits
 * and an objection can come before any stay. A guest with no row was never announced either way (profiles
 * announces profiling consent from this release on) and is watched, as every guest was before.
 */
export class ProfilingConsents1760000005400 implements MigrationInterface {
  name = 'ProfilingConsents1760000005400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table profiling_consents (
        guest_id uuid primary key,
        granted boolean not null,
        as_of timestamptz not null
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table profiling_consents');
  }
}
