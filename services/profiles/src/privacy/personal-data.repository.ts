import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { FieldValue } from '../domain/survivorship';
import { PersonalDataCipher, type PersonalField } from './personal-data-cipher';

export interface PersonalValue {
  guestId: string;
  field: PersonalField;
  value: string;
  verified: boolean;
  source: string;
  observedAt: string;
}

interface StoredValue {
  guest_id: string;
  field: PersonalField;
  value_mac: string;
  verified: boolean;
  observed_at: Date;
}

/**
 * Whether a value takes the place of the stored one: a new field, or a changed (or newly verified)
 * value that is not an unverified one over a verified, nor older than what is stored.
 */
function replaces(value: PersonalValue & { mac: string }, stored: StoredValue | undefined): boolean {
  if (!stored) return true;
  const changed = value.mac !== stored.value_mac || value.verified > stored.verified;
  const observedAt = Date.parse(value.observedAt);
  return (
    changed &&
    value.verified >= stored.verified &&
    (value.verified > stored.verified || observedAt >= stored.observed_at.getTime())
  );
}

export type PersonalRecord = Partial<Record<PersonalField, FieldValue & { source: string }>>;

/** Encrypted personal fields and the guests' wrapped data keys, in the caller's transaction. */
@Injectable()
export class PersonalDataRepository {
  constructor(private readonly cipher: PersonalDataCipher) {}

  /**
   * The data keys of these guests in one round trip: minted and stored for the `created` ones, loaded for
   * the `existing` ones (an erased guest has none).
   */
  async keysFor(manager: EntityManager, created: string[], existing: string[]): Promise<Map<string, Buffer>> {
    const keys = new Map<string, Buffer>();
    if (!created.length && !existing.length) return keys;
    const wrapped = created.map((id) => {
      const minted = this.cipher.newDataKey(id);
      keys.set(id, minted.key);
      return minted.wrapped;
    });
    // The select reads the table as it was before the statement: the keys just minted are not in it.
    const rows: { guest_id: string; wrapped_key: string }[] = await manager.query(
      `with minted as (
         insert into guest_keys (guest_id, wrapped_key) select * from unnest($1::uuid[], $2::text[]) returning 1)
       select guest_id, wrapped_key from guest_keys where guest_id = any($3::uuid[])`,
      [created, wrapped, existing],
    );
    for (const row of rows) keys.set(row.guest_id, this.cipher.unwrap(row.guest_id, row.wrapped_key));
    return keys;
  }

  /** The data keys of these guests; an erased guest has none. */
  async loadKeys(manager: EntityManager, guestIds: string[]): Promise<Map<string, Buffer>> {
    return this.keysFor(manager, [], guestIds);
  }

  /**
   * Stores values, keeping per field the best one: a verified value is not replaced by an unverified
   * one, otherwise the most recently observed wins. Only values that would be written are encrypted:
   * most returning stays repeat what is stored, and sealing costs more than the statement.
   * Returns the fields a guest had nothing on file for before.
   */
  async upsert(
    manager: EntityManager,
    keys: Map<string, Buffer>,
    values: PersonalValue[],
  ): Promise<{ guestId: string; field: PersonalField }[]> {
    const latest = new Map<string, PersonalValue>();
    for (const v of values) {
      const id = `${v.guestId}:${v.field}`;
      const current = latest.get(id);
      if (!current || (v.verified >= current.verified && v.observedAt >= current.observedAt))
        latest.set(id, v);
    }
    const candidates = [...latest.values()]
      .filter((v) => keys.has(v.guestId))
      .map((v) => ({ ...v, mac: this.cipher.index('value', `${v.guestId}:${v.field}:${v.value}`) }));
    if (!candidates.length) return [];
    const stored: StoredValue[] = await manager.query(
      `select guest_id, field, value_mac, verified, observed_at from guest_personal_data
       where guest_id = any($1::uuid[])`,
      [[...new Set(candidates.map((v) => v.guestId))]],
    );
    const storedBy = new Map(stored.map((row) => [`${row.guest_id}:${row.field}`, row]));
    const rows = candidates.filter((v) => replaces(v, storedBy.get(`${v.guestId}:${v.field}`)));
    if (!rows.length) return [];
    await manager.query(
      // The same rule again, for a row another transaction wrote since it was read.
      `insert into guest_personal_data (guest_id, field, ciphertext, verified, source, observed_at, value_mac)
       select * from json_to_recordset($1::json) as r(guest_id uuid, field text, ciphertext text,
         verified boolean, source text, observed_at timestamptz, value_mac text)
       on conflict (guest_id, field) do update
         set ciphertext = excluded.ciphertext, verified = excluded.verified,
             source = excluded.source, observed_at = excluded.observed_at, value_mac = excluded.value_mac
         where (excluded.value_mac <> guest_personal_data.value_mac or excluded.verified > guest_personal_data.verified)
           and excluded.verified >= guest_personal_data.verified
           and (excluded.verified > guest_personal_data.verified
                or excluded.observed_at >= guest_personal_data.observed_at)`,
      [
        JSON.stringify(
          rows.map((r) => ({
            guest_id: r.guestId,
            field: r.field,
            ciphertext: this.cipher.seal(keys.get(r.guestId) as Buffer, r.guestId, r.field, r.value),
            verified: r.verified,
            source: r.source,
            observed_at: r.observedAt,
            value_mac: r.mac,
          })),
        ),
      ],
    );
    return rows
      .filter((v) => !storedBy.has(`${v.guestId}:${v.field}`))
      .map(({ guestId, field }) => ({ guestId, field }));
  }

  /** The guest's decrypted personal fields; empty when the guest was erased (the key is gone). */
  async read(manager: EntityManager, guestId: string): Promise<PersonalRecord> {
    return (await this.readMany(manager, [guestId])).get(guestId) ?? {};
  }

  async readMany(manager: EntityManager, guestIds: string[]): Promise<Map<string, PersonalRecord>> {
    const keys = await this.loadKeys(manager, guestIds);
    const rows: {
      guest_id: string;
      field: PersonalField;
      ciphertext: string;
      verified: boolean;
      source: string;
      observed_at: Date;
    }[] = keys.size
      ? await manager.query(
          `select guest_id, field, ciphertext, verified, source, observed_at
           from guest_personal_data where guest_id = any($1::uuid[])`,
          [[...keys.keys()]],
        )
      : [];
    const result = new Map<string, PersonalRecord>();
    for (const row of rows) {
      const record = result.get(row.guest_id) ?? {};
      record[row.field] = {
        value: this.cipher.open(keys.get(row.guest_id) as Buffer, row.guest_id, row.field, row.ciphertext),
        verified: row.verified,
        source: row.source,
        observedAt: row.observed_at.toISOString(),
      };
      result.set(row.guest_id, record);
    }
    return result;
  }

  /**
   * Crypto-shredding: without the data key, every ciphertext of the guest in the database is noise. A backup
   * taken before holds the wrapped key beside the ciphertexts (see the README's erasure section).
   */
  async shred(manager: EntityManager, guestId: string): Promise<void> {
    await manager.query('delete from guest_personal_data where guest_id = $1', [guestId]);
    await manager.query('delete from guest_keys where guest_id = $1', [guestId]);
  }
}
