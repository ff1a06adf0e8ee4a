import type { EntityManager } from 'typeorm';

export interface KeyLockOptions {
  /**
   * Share the keys with other shared holders; only an exclusive holder waits for them, and they for it.
   * A transaction holding a key shared must not ask for it exclusively later: two doing so would each
   * wait for the other's shared hold.
   */
  shared?: boolean;
}

/**
 * Locks each key until the transaction ends: a Postgres advisory lock on the key's 64-bit hash, exclusive
 * unless `shared` is asked for. Taken in one global order, the hashes', whatever the mode, so two
 * transactions locking overlapping sets of keys cannot deadlock on them (keys of one database only:
 * advisory locks are per database).
 */
export async function lockKeysUntilCommit(
  manager: EntityManager,
  keys: readonly string[],
  options: KeyLockOptions = {},
): Promise<void> {
  if (keys.length === 0) return;
  const lock = options.shared ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await manager.query(
    `select count(${lock}(h)) from (
       select distinct hashtextextended(k, 0) as h from unnest($1::text[]) as k order by 1) as locks`,
    [[...new Set(keys)]],
  );
}
