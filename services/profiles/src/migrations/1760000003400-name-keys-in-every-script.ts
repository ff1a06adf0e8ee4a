import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { EvidenceKind } from '../domain/identity-resolution';
import { evidenceOf } from '../identity/identity-evidence';
import { rekeyIdentities } from './rekey-identities';

const NAME_KINDS: readonly EvidenceKind[] = ['family-name', 'name-dob', 'similar-name'];

/**
 * How names were normalised before: letters a-z only, after NFKD took the accents off. `Strauß` was `strau`,
 * `Łukasz` `ukasz`, and a name in another script nothing, which made no key at all.
 */
function earlierNormalForm(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

const asWritten = (name: string): string => name;

/**
 * Names are now normalised in every script, with the Latin letters NFKD keeps whole spelt out (`ß` as
 * `ss`): the family-name, name-and-date-of-birth and similar-name keys of the names on file move to the new
 * normal form, or the guest's next stay as `Strauß` would miss them, and a guest named in another script gets
 * the keys it never had.
 */
export class NameKeysInEveryScript1760000003400 implements MigrationInterface {
  name = 'NameKeysInEveryScript1760000003400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.rekey(queryRunner);
  }

  /** Also run after a rollout, by `refreshIdentityKeys`: returns the guests whose keys moved. */
  rekey(queryRunner: QueryRunner): Promise<number> {
    return rekeyNames(queryRunner, earlierNormalForm, asWritten);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await rekeyNames(queryRunner, asWritten, earlierNormalForm);
  }
}

/**
 * Moves each guest's name keys from those its names on file give written as `from` writes them to those they
 * give written as `to` does. A name already in a-z is its own normal form, and keyed (its Soundex included)
 * as the earlier code keyed the name it came from: the earlier keys are those of the earlier normal forms.
 */
async function rekeyNames(
  queryRunner: QueryRunner,
  from: (name: string) => string,
  to: (name: string) => string,
): Promise<number> {
  return rekeyIdentities(queryRunner, ['givenName', 'familyName', 'dateOfBirth'], (onFile, cipher) => {
    const keysOf = (written: (name: string) => string) =>
      evidenceOf(
        {
          givenName: onFile.givenName && written(onFile.givenName),
          familyName: onFile.familyName && written(onFile.familyName),
          dateOfBirth: onFile.dateOfBirth,
        },
        undefined,
        cipher,
      );
    const [before, after] = [keysOf(from), keysOf(to)];
    return NAME_KINDS.map((kind) => ({
      source: kind,
      from: before.find((key) => key.kind === kind)?.reference,
      to: after.find((key) => key.kind === kind)?.reference,
    }));
  });
}
