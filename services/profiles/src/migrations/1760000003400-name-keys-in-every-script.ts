import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ACCENTS, lettersOf } from '../domain/normalise';
import { rekeyIdentities, nameRekeying } from './rekey-identities';

/**
 * How names were normalised before: letters a-z only, after NFKD took the accents off. `Strauß` was `strau`,
 * `Łukasz` `ukasz`, and a name in another script nothing, which made no key at all.
 */
export function earlierNormalForm(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** How this migration normalised names: in every script, with the accents of Latin, Greek and Cyrillic off. */
const inEveryScript = (name: string): string => lettersOf(name, [ACCENTS]);

/**
 * Names are now normalised in every script, with the Latin letters NFKD keeps whole spelt out (`ß` as
 * `ss`): the family-name, name-and-date-of-birth and similar-name keys of the names on file move to the new
 * normal form, or the guest's next stay as `Strauß` would miss them, and a guest named in another script gets
 * the keys it never had.
 */
export class NameKeysInEveryScript1760000003400 implements MigrationInterface {
  name = 'NameKeysInEveryScript1760000003400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await rekeyIdentities(queryRunner, {
      namesInEveryScript: nameRekeying(earlierNormalForm, inEveryScript),
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await rekeyIdentities(queryRunner, {
      namesInLatinLettersOnly: nameRekeying(inEveryScript, earlierNormalForm),
    });
  }
}
