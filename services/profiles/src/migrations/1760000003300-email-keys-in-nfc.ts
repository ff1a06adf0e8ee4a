import type { MigrationInterface, QueryRunner } from 'typeorm';
import { loadConfig } from '@loyalty/config';
import { ProfilesConfig } from '../config/profiles.config';
import { normaliseEmail } from '../domain/normalise';
import { PersonalDataCipher } from '../privacy/personal-data-cipher';

/** Emails on file read per statement: each is decrypted here, as the blind index key is not in Postgres. */
const BATCH = 1_000;

/**
 * Emails are now matched in Unicode NFC: the key of an email on file that was typed with decomposed accents
 * becomes the key of its NFC form, or the guest's next stay with that email would make a new guest. The
 * email on file is the normalised one its key was made from; a key a merged profile brought whose email is
 * no longer on file cannot be read back, and stays as it was.
 */
export class EmailKeysInNfc1760000003300 implements MigrationInterface {
  name = 'EmailKeysInNfc1760000003300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await rekeyEmails(queryRunner, (onFile) => ({ from: onFile, to: normaliseEmail(onFile) }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await rekeyEmails(queryRunner, (onFile) => ({ from: normaliseEmail(onFile), to: onFile }));
  }
}

/** Moves each guest's `email` identity row from the key of `from` to that of `to`, where the two differ. */
async function rekeyEmails(
  queryRunner: QueryRunner,
  forms: (onFile: string) => { from: string; to: string },
): Promise<void> {
  // The keys the service starts with: migrations run as it starts, in its environment.
  const cipher = new PersonalDataCipher(loadConfig(ProfilesConfig));
  let after: string | null = null;
  for (;;) {
    const rows: { guest_id: string; ciphertext: string; wrapped_key: string }[] = await queryRunner.query(
      `select d.guest_id, d.ciphertext, k.wrapped_key
       from guest_personal_data d join guest_keys k on k.guest_id = d.guest_id
       where d.field = 'email' and ($1::uuid is null or d.guest_id > $1::uuid)
       order by d.guest_id limit $2`,
      [after, BATCH],
    );
    if (!rows.length) return;
    after = rows[rows.length - 1].guest_id;
    const moves = rows.flatMap((row) => {
      const key = cipher.unwrap(row.guest_id, row.wrapped_key);
      const { from, to } = forms(cipher.open(key, row.guest_id, 'email', row.ciphertext));
      return from === to
        ? []
        : [{ guestId: row.guest_id, from: cipher.index('email', from), to: cipher.index('email', to) }];
    });
    if (!moves.length) continue;
    await queryRunner.query(
      `with moved as (
         delete from guest_identities i using unnest($1::uuid[], $2::text[], $3::text[]) as m (guest_id, from_key, to_key)
         where i.source = 'email' and i.guest_id = m.guest_id and i.reference = m.from_key
         returning m.guest_id, m.to_key)
       insert into guest_identities (source, reference, guest_id)
       select 'email', to_key, guest_id from moved on conflict do nothing`,
      [moves.map((m) => m.guestId), moves.map((m) => m.from), moves.map((m) => m.to)],
    );
  }
}
