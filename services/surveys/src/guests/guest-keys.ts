import type { EntityManager } from 'typeorm';
import { lockKeysUntilCommit } from '@loyalty/persistence';
import { finalSurvivors, skippedUnder } from '../domain/guest-merge';
import { GuestDirectory } from './guest-directory';

/**
 * The guest an invitation skipped now is kept under, for each id (`skippedUnder`), holding it so until
 * the transaction ends with the keys of every id on the id's chain of merges, and no guest's row. A
 * merge or erasure takes its ids' keys before anything else and rewrites only what it sees: one that
 * committed before is seen here; one not yet committed is waited for, and then seen; one that starts
 * after waits, and then sees the invitation. Only a merge or erasure of an id on the chain changes where
 * it leads (a merge rewrites the ids merged into its merged id, an erasure those merged into its guest),
 * so a chain whose every id is held stands until the commit.
 *
 * The keys are taken shared: stays change no chain, so batches of stays of the same guests do not wait for
 * each other, nor for news of those guests, which takes the keys shared too (it changes no chain either);
 * a merge or erasure waits for every batch holding one of its keys, and a batch for it. None waits for
 * another in a cycle: every taker takes its keys in one statement, in the one order of
 * `lockKeysUntilCommit`, and a transaction of stays takes no key exclusively, so it never upgrades one it
 * holds shared (two holders upgrading a key would each wait for the other). The keys are taken first for
 * the ids asked about. When the chains read with those held name other ids (the survivors of ids merged
 * away, or ids a merge committed meanwhile added), they are given back (`GuestDirectory.lockSettled`'s
 * savepoint) and taken again with those: taken after the others, the new ones would break that order.
 */
export async function skippedUnderUntilCommit(
  manager: EntityManager,
  guestIds: readonly string[],
): Promise<Map<string, string | null>> {
  const asked = [...new Set(guestIds)];
  if (asked.length === 0) return new Map();
  let keyed = new Set(asked);
  return GuestDirectory.lockSettled(manager, async () => {
    await lockKeysUntilCommit(manager, [...keyed], { shared: true });
    const chains: ChainRow[] = await manager.query(MERGE_CHAINS, [asked]);
    const named = chains.flatMap((row) =>
      row.merged_into ? [row.guest_id, row.merged_into] : [row.guest_id],
    );
    if (named.some((guestId) => !keyed.has(guestId))) {
      keyed = new Set([...keyed, ...named]);
      return undefined;
    }
    return skippedUnderChains(asked, chains);
  });
}

/**
 * As `skippedUnderUntilCommit`, as the merges and erasures committed stand now, holding nothing: what a
 * merge or erasure commits next can change it.
 */
export async function skippedUnderNow(
  manager: EntityManager,
  guestIds: readonly string[],
): Promise<Map<string, string | null>> {
  const asked = [...new Set(guestIds)];
  if (asked.length === 0) return new Map();
  return skippedUnderChains(asked, await manager.query(MERGE_CHAINS, [asked]));
}

/** The guest a skipped invitation of each id asked about is kept under, given the rows of their chains. */
function skippedUnderChains(
  asked: readonly string[],
  chains: readonly ChainRow[],
): Map<string, string | null> {
  const rows = new Map(chains.map((row) => [row.guest_id, row]));
  const survivors = finalSurvivors(asked, new Map(chains.map((row) => [row.guest_id, row.merged_into])));
  return new Map(
    asked.map((guestId) => {
      const survivorId = survivors.get(guestId) as string;
      const survivor = rows.get(survivorId);
      return [
        guestId,
        skippedUnder(guestId, survivor && { guestId: survivorId, erased: survivor.erased_at !== null }),
      ];
    }),
  );
}

interface ChainRow {
  guest_id: string;
  merged_into: string | null;
  erased_at: Date | null;
}

/** The rows of the guests `$1` names and of every guest their chains of merges pass through, unlocked. */
const MERGE_CHAINS = `
  with recursive chain (guest_id, merged_into, erased_at) as (
    select guest_id, merged_into, erased_at from survey_guests where guest_id = any($1::uuid[])
    union
    select g.guest_id, g.merged_into, g.erased_at from chain c join survey_guests g on g.guest_id = c.merged_into)
  select * from chain`;
