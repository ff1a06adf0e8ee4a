import type { MigrationInterface, QueryRunner } from 'typeorm';
import { evidenceOf } from '../identity/identity-evidence';
import { rekeyIdentities, type Rekeying } from './rekey-identities';

/**
 * Writes each guest's full-name key (given and family name as normalised) where the guest has none: an
 * email or phone now matches a guest automatically only with the full name, and guests keyed before this
 * would otherwise be matched on the family name alone.
 */
export const missingFullNameKeys: Rekeying = {
  fields: ['givenName', 'familyName'],
  movesOf: (onFile, cipher) => [
    {
      source: 'full-name',
      to: evidenceOf({ givenName: onFile.givenName, familyName: onFile.familyName }, undefined, cipher).find(
        (key) => key.kind === 'full-name',
      )?.reference,
    },
  ],
};

export class FullNameKeys1760000003700 implements MigrationInterface {
  name = 'FullNameKeys1760000003700';

  async up(queryRunner: QueryRunner): Promise<void> {
    await rekeyIdentities(queryRunner, { missingFullNameKeys });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`delete from guest_identities where source = 'full-name'`);
  }
}
