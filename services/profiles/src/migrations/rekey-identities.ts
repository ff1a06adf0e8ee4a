import type { QueryRunner } from 'typeorm';
import { loadConfig } from '@loyalty/config';
import { ProfilesConfig } from '../config/profiles.config';
import type { EvidenceKind } from '../domain/identity-resolution';
import { evidenceOf } from '../identity/identity-evidence';
import { PersonalDataCipher, type PersonalField } from '../privacy/personal-data-cipher';
import { retryOnContention } from './retry-on-contention';

/** Guests read per statement: their data is decrypted here, as the blind index key is not in Postgres. */
const BATCH = 1_000;

/** Of the fields asked for, those a guest has on file, decrypted. */
export type OnFile = Partial<Record<PersonalField, string>>;

/**
 * A guest's identity row of `source` whose key changes from `from` to `to`. One of the two may be missing:
 * the old keying made no key of the data (an empty normal form), or the new one makes none, or the old key
 * is to stay (see `nameRekeying`).
 */
export interface KeyMove {
  source: string;
  from?: string;
  to?: string;
}

/** What a re-keying knows of a guest beside its data on file. */
export interface GuestFacts {
  /** Profiles were merged into the guest: it holds their keys, but not their data (a merge keeps one value per field). */
  tookInMerges: boolean;
}

/** One change of how evidence is keyed: the personal fields it reads, and the keys they gave before and give now. */
export interface Rekeying {
  fields: readonly PersonalField[];
  movesOf(onFile: OnFile, cipher: PersonalDataCipher, guest: GuestFacts): KeyMove[];
}

/**
 * Re-keys the identity rows that the personal data on file gives, for changes of how evidence is keyed: per
 * guest, each of `rekeyings` in turn, so that a later one sees the keys an earlier one moved. A key that
 * changed is moved where the guest held it; one the old keying could not make at all is written. A key a
 * merged profile brought whose data is no longer on file cannot be read back, and stays as it was.
 *
 * Re-runnable: a key already in its new form is left alone. In a migration it runs in the migration's
 * transaction, locking nothing; given a runner outside one (`npm run profiles:refresh-keys`, for the keys
 * that pods of the earlier version wrote during a rollout) each batch is a transaction of its own, whose
 * active guests are locked `for share` in id order before their data is read, as a staff change or a merge
 * locks a guest before changing its data and keys, so neither can change them between the read and the
 * moves. Such a batch given up for a deadlock or a serialization failure is run again (`retryOnContention`),
 * saying so through `warn`. Guests are walked, locked and read once for all the re-keyings. Returns, per
 * re-keying, the number of guests whose keys it moved.
 */
export async function rekeyIdentities<Name extends string>(
  queryRunner: QueryRunner,
  rekeyings: Readonly<Record<Name, Rekeying>>,
  { warn = (message: string) => console.warn(message) }: { warn?: (message: string) => void } = {},
): Promise<Record<Name, number>> {
  // The keys the service starts with: migrations run as it starts, in its environment.
  const cipher = new PersonalDataCipher(loadConfig(ProfilesConfig));
  const ownTransactions = !queryRunner.isTransactionActive;
  const steps = Object.entries<Rekeying>(rekeyings) as [Name, Rekeying][];
  const rekeyed = Object.fromEntries(steps.map(([name]) => [name, 0])) as Record<Name, number>;
  let after: string | null = null;
  for (;;) {
    // Guests walked in key order from where the last batch ended.
    const batch: { guest_id: string }[] = await queryRunner.query(
      `select guest_id from guest_keys where ($1::uuid is null or guest_id > $1::uuid) order by guest_id limit $2`,
      [after, BATCH],
    );
    if (!batch.length) return rekeyed;
    const guestIds = batch.map((row) => row.guest_id);
    const rekeyBatch = () => rekeyGuests(queryRunner, cipher, guestIds, steps, ownTransactions);
    const moved = ownTransactions
      ? await retryOnContention(() => inTransaction(queryRunner, rekeyBatch), {
          what: `the batch of ${guestIds.length} guests from ${guestIds[0]}`,
          warn,
        })
      : await rekeyBatch();
    for (const [name] of steps) rekeyed[name] += moved[name];
    after = guestIds[guestIds.length - 1];
  }
}

async function inTransaction<T>(queryRunner: QueryRunner, work: () => Promise<T>): Promise<T> {
  await queryRunner.startTransaction();
  try {
    const result = await work();
    await queryRunner.commitTransaction();
    return result;
  } catch (error) {
    await queryRunner.rollbackTransaction();
    throw error;
  }
}

/** Re-keys these guests for each of `steps` in turn; returns per step the guests whose keys it moved. */
async function rekeyGuests<Name extends string>(
  queryRunner: QueryRunner,
  cipher: PersonalDataCipher,
  guestIds: string[],
  steps: [Name, Rekeying][],
  lock: boolean,
): Promise<Record<Name, number>> {
  // In a migration's one transaction, locks would be held on every guest until the whole table is done,
  // stopping the pods of the earlier version that still serve stays meanwhile: the refresh after the
  // rollout re-keys what they change.
  const locked: { id: string }[] = await queryRunner.query(
    `select id from guests where id = any($1::uuid[]) and status = 'active' order by id${lock ? ' for share' : ''}`,
    [guestIds],
  );
  const fields = [...new Set(steps.flatMap(([, step]) => step.fields))];
  // Read by a statement of its own: one that waited for a lock reads its other tables as they were when it
  // began, before the change it waited for committed. A merge logs a decision under its survivor, which
  // says (by an index, where `guests.merged_into` has none) that the guest holds a merged profile's keys.
  const guests: {
    guest_id: string;
    wrapped_key: string;
    ciphertexts: Record<string, string>;
    took_in_merges: boolean;
  }[] = await queryRunner.query(
    // Each guest's fields looked up by its id: a join of the two tables would read every guest's.
    `select k.guest_id, k.wrapped_key, d.ciphertexts,
            exists (select 1 from match_decisions m where m.guest_id = k.guest_id and m.outcome = 'merged')
              as took_in_merges
     from guest_keys k
     cross join lateral (
       select json_object_agg(field, ciphertext) as ciphertexts from guest_personal_data
       where guest_id = k.guest_id and field = any($2::text[])) as d
     where k.guest_id = any($1::uuid[]) and d.ciphertexts is not null`,
    [locked.map((guest) => guest.id), fields],
  );
  const decrypted = guests.map((guest) => {
    const key = cipher.unwrap(guest.guest_id, guest.wrapped_key);
    const onFile: OnFile = Object.fromEntries(
      Object.entries(guest.ciphertexts).map(([field, ciphertext]) => [
        field,
        cipher.open(key, guest.guest_id, field, ciphertext),
      ]),
    );
    return { guestId: guest.guest_id, onFile, facts: { tookInMerges: guest.took_in_merges } };
  });
  const moved = {} as Record<Name, number>;
  for (const [name, step] of steps) {
    const moves = decrypted.flatMap(({ guestId, onFile, facts }) => {
      // Only the step's own fields, and only guests with one of them on file, as a walk of its own read them.
      const read: OnFile = Object.fromEntries(
        step.fields.flatMap((f) => (onFile[f] ? [[f, onFile[f]]] : [])),
      );
      if (!Object.keys(read).length) return [];
      return step
        .movesOf(read, cipher, facts)
        .filter((move) => move.from !== move.to)
        .map((move) => ({ guestId, ...move }));
    });
    moved[name] = await moveKeys(queryRunner, moves);
  }
  return moved;
}

/** Applies the moves; returns the number of guests whose keys moved or were written. */
async function moveKeys(queryRunner: QueryRunner, moves: (KeyMove & { guestId: string })[]): Promise<number> {
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
 * Moves each guest's family-name, full-name, name-and-date-of-birth and similar-name keys from those its
 * names on file give normalised by `from` to those they give normalised by `to`.
 *
 * Of a guest that took in merged profiles, a key is kept where `to` makes it too, of the names as `from` spelt
 * them: `from` made `strau` of `Strauß`, but `to` makes it of `Strau`, and a profile merged into the guest
 * under that name brought it. The merged profiles' names are not on file (a merge keeps one value per
 * field), so such a key cannot be told from one an earlier pod wrote, and it stays, with the new key beside
 * it. A key no name gives under `to` (one with vowel marks, which `to` strips) is moved as ever.
 */
export function nameRekeying(from: (name: string) => string, to: (name: string) => string): Rekeying {
  return {
    fields: ['givenName', 'familyName', 'dateOfBirth'],
    movesOf: (onFile, cipher, { tookInMerges }) => {
      const keysOf = (names: OnFile, normalise: (name: string) => string) =>
        evidenceOf(
          { givenName: names.givenName, familyName: names.familyName, dateOfBirth: names.dateOfBirth },
          undefined,
          cipher,
          normalise,
        );
      const [before, after] = [keysOf(onFile, from), keysOf(onFile, to)];
      const spelt = (name: string | undefined) => name && from(name);
      const alsoMadeByTo = tookInMerges
        ? keysOf({ ...onFile, givenName: spelt(onFile.givenName), familyName: spelt(onFile.familyName) }, to)
        : [];
      const referenceOf = (keys: typeof before, kind: EvidenceKind) =>
        keys.find((key) => key.kind === kind)?.reference;
      return NAME_KINDS.map((kind) => {
        const earlier = referenceOf(before, kind);
        const kept = earlier !== undefined && earlier === referenceOf(alsoMadeByTo, kind);
        return { source: kind, from: kept ? undefined : earlier, to: referenceOf(after, kind) };
      });
    },
  };
}
