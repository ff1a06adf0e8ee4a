import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ACCENTS, lettersOf, normaliseName } from '../domain/normalise';
import { rekeyIdentities, nameRekeying } from './rekey-identities';

/** How names were normalised before: the vowel points and reading marks of Arabic and Hebrew kept. */
export const withVowelMarks = (name: string): string => lettersOf(name, [ACCENTS]);

/**
 * Names are now normalised without the vowel marks Arabic and Hebrew write or leave out: the name keys of the
 * names on file written with them move to the new normal form, or a stay as `محمد` would miss `مُحَمَّد`.
 */
export class NameKeysWithoutVowelMarks1760000003500 implements MigrationInterface {
  name = 'NameKeysWithoutVowelMarks1760000003500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await rekeyIdentities(queryRunner, {
      namesWithoutVowelMarks: nameRekeying(withVowelMarks, normaliseName),
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await rekeyIdentities(queryRunner, { namesWithVowelMarks: nameRekeying(normaliseName, withVowelMarks) });
  }
}
