import type { QueryRunner } from 'typeorm';
import { loadConfig } from '@loyalty/config';
import { ProfilesConfig } from '../config/profiles.config';
import { PersonalDataCipher, type PersonalField } from '../privacy/personal-data-cipher';

/** Guests read per statement: their data is decrypted here, as the blind index key is not in Postgres. */
const BATCH = 1_000;

/** Of the fields asked for, those a guest has on file, decrypted. */
export type OnFile = Partial<Record<PersonalField, string>>;

/**
 * A guest's identity row of `source` whose key changes from `from` to `to`. One of the two may be missing:
 * the old keying made no key of the data (an empty normal form), or the new one makes none.
 */
export interface KeyMove {
  source: string;
  from?: string;
  to?: string;
}

/**
 * Re-keys the identity rows that the personal data on file gives, for a change of how evidence is keyed:
 * `movesOf` names, per guest, the keys the data on file gave before and those it gives now. A key that
 * changed is moved where the guest held it; one the old keying could not make at all is written. A key a
 * merged profile brought whose data is no longer on file cannot be read back, and stays as it was.
 */
export async function rekeyIdentities(
  queryRunner: QueryRunner,
  fields: readonly PersonalField[],
  movesOf: (onFile: OnFile, cipher: PersonalDataCipher) => KeyMove[],
): Promise<void> {
  // The keys the service starts with: migrations run as it starts, in its environment.
  const cipher = new PersonalDataCipher(loadConfig(ProfilesConfig));
  let after: string | null = null;
  for (;;) {
    const guests: { guest_id: string; wrapped_key: string; ciphertexts: Record<string, string> }[] =
      await queryRunner.query(
        // Guests walked in key order from where the last batch ended, each one's fields looked up by its id:
        // a join of the two tables re-reads the keys before that point at every batch.
        `select k.guest_id, k.wrapped_key, d.ciphertexts
         from guest_keys k
         cross join lateral (
           select json_object_agg(field, ciphertext) as ciphertexts from guest_personal_data
           where guest_id = k.guest_id and field = any($1::text[])) as d
         where ($2::uuid is null or k.guest_id > $2::uuid) and d.ciphertexts is not null
         order by k.guest_id limit $3`,
        [fields, after, BATCH],
      );
    if (!guests.length) return;
    after = guests[guests.length - 1].guest_id;
    const moves = guests.flatMap((guest) => {
      const key = cipher.unwrap(guest.guest_id, guest.wrapped_key);
      const onFile: OnFile = Object.fromEntries(
        Object.entries(guest.ciphertexts).map(([field, ciphertext]) => [
          field,
          cipher.open(key, guest.guest_id, field, ciphertext),
        ]),
      );
      return movesOf(onFile, cipher)
        .filter((move) => move.from !== move.to)
        .map((move) => ({ guestId: guest.guest_id, ...move }));
    });
    if (!moves.length) continue;
    await queryRunner.query(
      `with moves as (
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) as m (guest_id, source, from_key, to_key)),
       moved as (
         delete from guest_identities i using moves m
         where i.guest_id = m.guest_id and i.source = m.source and i.reference = m.from_key
         returning m.guest_id, m.source, m.to_key)
       insert into guest_identities (source, reference, guest_id)
       select source, to_key, guest_id from moved where to_key is not null
       union all
       select source, to_key, guest_id from moves where from_key is null
       on conflict do nothing`,
      [
        moves.map((m) => m.guestId),
        moves.map((m) => m.source),
        moves.map((m) => m.from ?? null),
        moves.map((m) => m.to ?? null),
      ],
    );
  }
}
