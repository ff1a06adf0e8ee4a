import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the free text written about erased guests after their erasure: complaints opened for them, and
 * resolution and compensation notes added later, kept it until now. Each complaint of an erased guest
 * gets `erased_at`, by which later writes keep no text.
 */
export class ErasedGuestsText1760000004600 implements MigrationInterface {
  name = 'ErasedGuestsText1760000004600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      update complaints c
      set description = null, resolution_note = null, erased_at = coalesce(c.erased_at, t.erased_at)
      from guest_tombstones t
      where t.guest_id = c.guest_id and t.erased_at is not null
        and (c.erased_at is null or c.description is not null or c.resolution_note is not null)`);
    await queryRunner.query(`
      update compensations set note = null
      where note is not null and complaint_id in (select id from complaints where erased_at is not null)`);
  }

  // The text is gone: nothing to bring back.
  async down(): Promise<void> {}
}
