import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The time zone of each stay's property, from `stay-recorded`. A stay's dates are local to it, so an
 * instant (a complaint opened or resolved) must become a date in that zone before it is compared with
 * them. Stays kept before this have none and count in UTC until `stay-recorded` is delivered again.
 */
export class StayTimeZones1760000004500 implements MigrationInterface {
  name = 'StayTimeZones1760000004500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table stays add column time_zone text');
    // A property's zone is looked up from its latest stay naming one, for every complaint an insight
    // counts; without this the lookup walks all of a property's older stays that name none.
    await queryRunner.query(`
      create index stays_property_zone on stays (property_id, departure) where time_zone is not null`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index stays_property_zone');
    await queryRunner.query('alter table stays drop column time_zone');
  }
}
