import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The local day each invitation went out on, as the sender counted it (`invited`, by the property's zone
 * then): an answer counts its response against that day. Worked out again when the guest answers, it took
 * the property's zone of that moment, and a zone corrected meanwhile put the response on another day than
 * its invitation. Invitations sent before have none, and are worked out as before. Nullable with no default,
 * the column is added without rewriting the table.
 */
export class InvitationsSentDay1760000005200 implements MigrationInterface {
  name = 'InvitationsSentDay1760000005200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table invitations add column sent_day date');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table invitations drop column sent_day');
  }
}
