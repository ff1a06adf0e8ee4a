import type { EntityManager } from 'typeorm';

/**
 * Locks each key until the transaction ends: a Postgres advisory lock on the key's 64-bit hash. Taken in
 * one global order, the hashes', so two transactions locking overlapping sets of keys cannot deadlock on
 * them (keys of one database only: advisory locks are per database).
 */
export async function lockKeysUntilCommit(manager: EntityManager, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await manager.query(
    `select count(pg_advisory_xact_lock(h)) from (
       select distinct hashtextextended(k, 0) as h from unnest($1::text[]) as k order by 1) as locks`,
    [[...new Set(keys)]],
  );
}
