import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An intake key is a property system's own reference (a ticket number such as `T-1042`), so two
 * properties may use the same one: unique across the chain, the second property's complaint was never
 * opened and its caller got the first property's complaint back.
 */
export class IntakeKeysPerProperty1760000004200 implements MigrationInterface {
  name = 'IntakeKeysPerProperty1760000004200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table complaints drop constraint complaints_intake_key_key');
    await queryRunner.query(`
      alter table complaints add constraint complaints_property_intake_key unique (property_id, intake_key)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table complaints drop constraint complaints_property_intake_key');
    await queryRunner.query(
      'alter table complaints add constraint complaints_intake_key_key unique (intake_key)',
    );
  }
}
