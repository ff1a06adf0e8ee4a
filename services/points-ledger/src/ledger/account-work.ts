import type { LedgerAccount, LedgerChange, LedgerEntry, TierStatus } from '../domain';
import type { AccountWrite, StoredAccount } from './account-store';

/** One locked account being changed by several operations in one transaction, then written once. */
export class AccountWork {
  account: LedgerAccount;
  tier: TierStatus;
  readonly entries: LedgerEntry[] = [];

  constructor(readonly stored: StoredAccount) {
    this.account = stored.account;
    this.tier = stored.tier;
  }

  get id(): string {
    return this.account.id;
  }

  apply<C extends LedgerChange>(change: C): C {
    this.account = change.account;
    this.entries.push(...change.entries);
    return change;
  }

  get changed(): boolean {
    return this.account !== this.stored.account || this.tier !== this.stored.tier;
  }

  toWrite(): AccountWrite {
    return { before: this.stored, account: this.account, entries: this.entries, tier: this.tier };
  }
}

/** The work of each distinct account among the loaded ones (merged-away ids alias their survivor). */
export function workFor(loaded: Map<string, StoredAccount>): Map<string, AccountWork> {
  const byAccount = new Map<string, AccountWork>();
  const result = new Map<string, AccountWork>();
  for (const [key, stored] of loaded) {
    const work = byAccount.get(stored.account.id) ?? new AccountWork(stored);
    byAccount.set(stored.account.id, work);
    result.set(key, work);
  }
  return result;
}

export function writesOf(works: Iterable<AccountWork>): AccountWrite[] {
  return [...new Set(works)].filter((work) => work.changed).map((work) => work.toWrite());
}
