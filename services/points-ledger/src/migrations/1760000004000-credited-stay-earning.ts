import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Whether a credited stay's channel earns points, so revenue added to it later knows whether it earns. */
export class CreditedStayEarning1760000004000 implements MigrationInterface {
  name = 'CreditedStayEarning1760000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table credited_stays add column earning boolean not null default true');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table credited_stays drop column earning');
  }
}
