import type { QueryRunner } from 'typeorm';
import { loadConfig } from '@loyalty/config';
import { ProfilesConfig } from '../config/profiles.config';
import type { EvidenceKind } from '../domain/identity-resolution';
import { evidenceOf } from '../identity/identity-evidence';
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
 *
 * Re-runnable: a key already in its new form is left alone. In a migration it runs in the migration's
 * transaction, locking nothing; given a runner outside one (`npm run profiles:refresh-keys`, for the keys
 * that pods of the earlier version wrote during a rollout) each batch is a transaction of its own, whose
 * active guests are locked `for share` in id order before their data is read, as a staff change or a merge
 * locks a guest before changing its data and keys, so neither can change them between the read and the
 * move. Returns the number of guests whose keys moved.
 */
export async function rekeyIdentities(
  queryRunner: QueryRunner,
  fields: readonly PersonalField[],
  movesOf: (onFile: OnFile, cipher: PersonalDataCipher) => KeyMove[],
): Promise<number> {
  // The keys the service starts with: migrations run as it starts, in its environment.
  const cipher = new PersonalDataCipher(loadConfig(ProfilesConfig));
  const ownTransactions = !queryRunner.isTransactionActive;
  let after: string | null = null;
  let rekeyed = 0;
  for (;;) {
    // Guests walked in key order from where the last batch ended.
    const batch: { guest_id: string }[] = await queryRunner.query(
      `select guest_id from guest_keys where ($1::uuid is null or guest_id > $1::uuid) order by guest_id limit $2`,
      [after, BATCH],
    );
    if (!batch.length) return rekeyed;
    after = batch[batch.length - 1].guest_id;
    if (ownTransactions) await queryRunner.startTransaction();
    try {
      rekeyed += await rekeyBatch(
        queryRunner,
        cipher,
        batch.map((row) => row.guest_id),
        { fields, movesOf, lock: ownTransactions },
      );
      if (ownTransactions) await queryRunner.commitTransaction();
    } catch (error) {
      if (ownTransactions) await queryRunner.rollbackTransaction();
      throw error;
    }
  }
}

async function rekeyBatch(
  queryRunner: QueryRunner,
  cipher: PersonalDataCipher,
  guestIds: string[],
  {
    fields,
    movesOf,
    lock,
  }: {
    fields: readonly PersonalField[];
    movesOf: (onFile: OnFile, cipher: PersonalDataCipher) => KeyMove[];
    lock: boolean;
  },
): Promise<number> {
  // In a migration's one transaction, locks would be held on every guest until the whole table is done,
  // stopping the pods of the earlier version that still serve stays meanwhile: the refresh after the
  // rollout re-keys what they change.
  const locked: { id: string }[] = await queryRunner.query(
    `select id from guests where id = any($1::uuid[]) and status = 'active' order by id${lock ? ' for share' : ''}`,
    [guestIds],
  );
  // Read by a statement of its own: one that waited for a lock reads its other tables as they were when it
  // began, before the change it waited for committed.
  const guests: { guest_id: string; wrapped_key: string; ciphertexts: Record<string, string> }[] =
    await queryRunner.query(
      // Each guest's fields looked up by its id: a join of the two tables would read every guest's.
      `select k.guest_id, k.wrapped_key, d.ciphertexts
       from guest_keys k
       cross join lateral (
         select json_object_agg(field, ciphertext) as ciphertexts from guest_personal_data
         where guest_id = k.guest_id and field = any($2::text[])) as d
       where k.guest_id = any($1::uuid[]) and d.ciphertexts is not null`,
      [locked.map((guest) => guest.id), fields],
    );
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
  if (!moves.length) return 0;
  const moved: { guest_id: string }[] = await queryRunner.query(
    `with moves as (
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) as m (guest_id, source, from_key, to_key)),
     moved as (
       delete from guest_identities i using moves m
       where i.guest_id = m.guest_id and i.source = m.source and i.reference = m.from_key
       returning m.guest_id, m.source, m.to_key),
     written as (
       insert into guest_identities (source, reference, guest_id)
       select source, to_key, guest_id from moved where to_key is not null
       union all
       select source, to_key, guest_id from moves where from_key is null
       on conflict do nothing
       returning guest_id)
     select guest_id from moved union select guest_id from written`,
    [
      moves.map((m) => m.guestId),
      moves.map((m) => m.source),
      moves.map((m) => m.from ?? null),
      moves.map((m) => m.to ?? null),
    ],
  );
  return moved.length;
}

const NAME_KINDS: readonly EvidenceKind[] = ['family-name', 'full-name', 'name-dob', 'similar-name'];

/**
 * Moves each guest's family-name, name-and-date-of-birth and similar-name keys from those its names on file
 * give normalised by `from` to those they give normalised by `to`.
 */
export function rekeyNames(
  queryRunner: QueryRunner,
  from: (name: string) => string,
  to: (name: string) => string,
): Promise<number> {
  return rekeyIdentities(queryRunner, ['givenName', 'familyName', 'dateOfBirth'], (onFile, cipher) => {
    const keysOf = (normalise: (name: string) => string) =>
      evidenceOf(
        { givenName: onFile.givenName, familyName: onFile.familyName, dateOfBirth: onFile.dateOfBirth },
        undefined,
        cipher,
        normalise,
      );
    const [before, after] = [keysOf(from), keysOf(to)];
    return NAME_KINDS.map((kind) => ({
      source: kind,
      from: before.find((key) => key.kind === kind)?.reference,
      to: after.find((key) => key.kind === kind)?.reference,
    }));
  });
}
