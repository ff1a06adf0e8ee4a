import type { EntityManager } from 'typeorm';
import { isTransientDatabaseError } from '@loyalty/persistence';
import { T0 } from '../domain/ledger.fixtures';
import { AccountStore, MergeLinksChanged } from './account-store';

// Ids as their order: a survivor, an account, one merged away, and a later survivor.
const SURVIVOR = '11111111-1111-4111-8111-111111111111';
const ACCOUNT = '55555555-5555-4555-8555-555555555555';
const MERGED = '99999999-9999-4999-8999-999999999999';
const LATER_SURVIVOR = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';

type Links = Record<string, string | null>;

/**
 * A database of accounts whose merge links are `atRead` as a statement starts and `whenLocked` by the time
 * its locks are granted (a merge committed in between), recording every statement and the ids each
 * locking one locks: a statement following the links (`with recursive`) locks what they lead to.
 */
function database(atRead: Links, whenLocked: Links = atRead) {
  const statements: string[] = [];
  const lockStatements: string[][] = [];
  const query = async (sql: string, [ids]: [string[]]): Promise<unknown[]> => {
    statements.push(sql);
    if (sql.includes('for update')) {
      const locked = new Set(ids);
      if (sql.includes('with recursive')) for (const id of locked) if (atRead[id]) locked.add(atRead[id]);
      const inOrder = [...locked].sort();
      lockStatements.push(inOrder);
      return inOrder.filter((id) => id in whenLocked).map((id) => accountRow(id, whenLocked[id]));
    }
    if (sql.includes('json_agg')) {
      return ids.map((id) => ({ id, live_lots: [], open_holds: [], progress: [], usage: [] }));
    }
    throw new Error(`unexpected query: ${sql}`);
  };
  return { manager: { query } as unknown as EntityManager, statements, lockStatements };
}

function accountRow(id: string, mergedInto: string | null) {
  return {
    id,
    guest_id: id,
    status: mergedInto ? 'closed' : 'active',
    opened_at: T0,
    last_activity_at: T0,
    lifetime_earned: 0,
    clawback_owed: 0,
    tier_id: 'member',
    tier_valid_until: null,
    tier_lock: null,
    next_sequence: 1,
    next_lot_number: 1,
    merged_account_ids: [],
    merged_into: mergedInto,
    erased_at: null,
  };
}

describe('AccountStore.lock: one global lock order, ascending id', () => {
  const store = new AccountStore();

  it('should lock the accounts and the survivor of one merged away in one statement, in id order, reading the links in it', async () => {
    const { manager, statements, lockStatements } = database({
      [SURVIVOR]: null,
      [ACCOUNT]: null,
      [MERGED]: SURVIVOR,
    });
    const loaded = await store.lock(manager, [MERGED, ACCOUNT]);
    expect(lockStatements).toEqual([[SURVIVOR, ACCOUNT, MERGED]]);
    // The locking statement, then the live lots, holds and counters: no round trip for the links.
    expect(statements).toHaveLength(2);
    expect(loaded.get(MERGED)?.account.id).toBe(SURVIVOR);
    expect(loaded.get(ACCOUNT)?.account.id).toBe(ACCOUNT);
  });

  it('should lock a survivor merged into another meanwhile after the rest, when it sorts after all of them', async () => {
    const { manager, lockStatements } = database(
      { [SURVIVOR]: null, [ACCOUNT]: null, [MERGED]: SURVIVOR },
      { [SURVIVOR]: LATER_SURVIVOR, [ACCOUNT]: null, [MERGED]: SURVIVOR, [LATER_SURVIVOR]: null },
    );
    const loaded = await store.lock(manager, [MERGED, ACCOUNT]);
    expect(lockStatements).toEqual([[SURVIVOR, ACCOUNT, MERGED], [LATER_SURVIVOR]]);
    expect(loaded.get(MERGED)?.account.id).toBe(LATER_SURVIVOR);
    expect(loaded.get(SURVIVOR)?.account.id).toBe(LATER_SURVIVOR);
  });

  it('should give up, as a serialization failure and without locking it, when a survivor found once locked sorts before an account held', async () => {
    const { manager, lockStatements } = database(
      { [SURVIVOR]: null, [ACCOUNT]: null, [MERGED]: null },
      { [SURVIVOR]: null, [ACCOUNT]: null, [MERGED]: SURVIVOR },
    );
    const refusal = await store.lock(manager, [MERGED, ACCOUNT]).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(MergeLinksChanged);
    expect(isTransientDatabaseError(refusal)).toBe(true);
    expect(lockStatements).toEqual([[ACCOUNT, MERGED]]);
  });
});
