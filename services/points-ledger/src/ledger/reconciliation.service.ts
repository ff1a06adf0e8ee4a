import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { parkedOwners } from './parked-adjustments';

export interface ReconciliationDifference {
  accountId: string;
  guestId: string;
  check:
    | 'BALANCE_NOT_SUM_OF_ENTRIES'
    | 'LOTS_NOT_BALANCE'
    | 'NEGATIVE_AVAILABLE'
    | 'HOLDS_NOT_HELD'
    | 'CLAWBACK_MISMATCH'
    | 'NIGHTS_NOT_CREDITED_STAYS'
    | 'STAYS_NOT_CREDITED_STAYS';
  expected: number;
  actual: number;
}

export interface ReconciliationReport {
  checkedAt: string;
  accounts: number;
  differences: ReconciliationDifference[];
  /**
   * Stay adjustments parked, `count` in all: waiting for their stay to be credited (normally for the
   * moments the stay takes through profiles); `awaitingReactivation`, refused by the suspended account of
   * a credited stay until it is reactivated; `onClosedAccounts`, of a credited stay whose account is closed
   * (closed while they waited, before a close was refused for them), which will never apply. An old one in
   * neither is an adjustment of a stay the ledger never received (or of one credited moments ago, for the
   * `apply-parked-adjustments` job to apply).
   */
  parkedAdjustments: ParkedCount & { awaitingReactivation: ParkedCount; onClosedAccounts: ParkedCount };
  /**
   * Stay adjustments a chain admin discarded (`POST /operations/parked-adjustments/discard`): parked no
   * more, never applied, each kept with its event, who discarded it and why; not those restored since.
   */
  discardedAdjustments: { count: number; lastDiscardedAt: string | null };
}

interface ParkedCount {
  count: number;
  oldestParkedAt: string | null;
}

/**
 * Every account checked in Postgres, which answers only the checks that fail (`differences`, by account id
 * and in the order of the checks below, each as the report names it) and how many accounts it checked: a
 * row per account read into Node took 600 MB of heap at 1.5 million accounts, and a chain has millions.
 * Each check pairs what the account's record makes `expected` with what the account says `actual`. Not
 * ordered as a whole: an order over every account made Postgres merge its aggregates by account id, reading
 * the tables through their indexes page by page, about 1.8 times as long as hashing them.
 */
const ACCOUNTS_CHECKED = `
  with owners as (
    select a.id as account_id, a.id as owner from accounts a where a.merged_into is null
    union all
    select a.id, m from accounts a, unnest(a.merged_account_ids) m where a.merged_into is null
  ),
  entries as (
    select o.account_id, sum(e.points) as points, sum(e.clawback_delta) as clawback
    from owners o join ledger_entries e on e.account_id = o.owner group by o.account_id
  ),
  lots_by_state as (
    select account_id,
      sum(points) filter (where state = 'available') as available,
      sum(points) filter (where state = 'pending') as pending,
      sum(points) filter (where state = 'held') as held
    from lots where state in ('pending', 'available', 'held') group by account_id
  ),
  holds_open as (
    select account_id, sum(points) as points from holds where state = 'open' group by account_id
  ),
  progress as (
    select account_id, sum(nights) as nights, sum(stays) as stays from qualifying_progress group by account_id
  ),
  credited as (
    select o.account_id, sum(c.nights) as nights, sum(c.stays) as stays
    from owners o join credited_stays c on c.account_id = o.owner group by o.account_id
  ),
  differences as (
    select a.id as account_id, a.guest_id, checks.position, checks.name, checks.expected, checks.actual
    from accounts a
    left join entries e on e.account_id = a.id
    left join lots_by_state l on l.account_id = a.id
    left join holds_open h on h.account_id = a.id
    left join progress p on p.account_id = a.id
    left join credited c on c.account_id = a.id
    cross join lateral (values
      (1, 'BALANCE_NOT_SUM_OF_ENTRIES', coalesce(e.points, 0), a.balance),
      (2, 'LOTS_NOT_BALANCE', coalesce(l.available, 0) + coalesce(l.pending, 0) + coalesce(l.held, 0), a.balance),
      (3, 'LOTS_NOT_BALANCE', coalesce(l.available, 0), a.available),
      (4, 'LOTS_NOT_BALANCE', coalesce(l.pending, 0), a.pending),
      (5, 'HOLDS_NOT_HELD', coalesce(h.points, 0), coalesce(l.held, 0)),
      (6, 'CLAWBACK_MISMATCH', coalesce(e.clawback, 0), a.clawback_owed),
      -- Fails only below zero, where it reports the balance itself.
      (7, 'NEGATIVE_AVAILABLE', 0, least(a.available, 0)),
      (8, 'NIGHTS_NOT_CREDITED_STAYS', coalesce(c.nights, 0), coalesce(p.nights, 0)),
      (9, 'STAYS_NOT_CREDITED_STAYS', coalesce(c.stays, 0), coalesce(p.stays, 0))
    ) as checks (position, name, expected, actual)
    where a.merged_into is null and checks.expected <> checks.actual
  )
  select (select count(*) from accounts where merged_into is null) as accounts,
    coalesce(
      (select json_agg(
         json_build_object('accountId', account_id, 'guestId', guest_id, 'check', name,
           'expected', expected, 'actual', actual)
         order by account_id, position)
       from differences),
      '[]') as differences`;

/**
 * Checks every account against its own record: the balance is the sum of its entries (its own and those
 * of the accounts merged into it), the live lots add up to each balance column, open holds are exactly
 * the held points, clawback owed matches the entries, nothing available is negative, and the qualifying
 * nights and stays towards tiers are those of its credited stays (as adjusted). Pure SQL, one pass that
 * answers only the differences; it reports and never repairs. Beside the accounts, it counts the stay
 * adjustments still parked, and those discarded, so that none leaves the operators' view.
 */
@Injectable()
export class ReconciliationService {
  constructor(private readonly dataSource: DataSource) {}

  async run(): Promise<ReconciliationReport> {
    const [checked]: { accounts: string; differences: ReconciliationDifference[] }[] =
      await this.dataSource.query(ACCOUNTS_CHECKED);
    return {
      checkedAt: new Date().toISOString(),
      accounts: Number(checked.accounts),
      differences: checked.differences,
      parkedAdjustments: await this.parkedAdjustments(),
      discardedAdjustments: await this.discardedAdjustments(),
    };
  }

  private async discardedAdjustments(): Promise<ReconciliationReport['discardedAdjustments']> {
    const [row]: { count: string; last: Date | null }[] = await this.dataSource.query(
      // A discard restored since is undone: its adjustment is parked again, or applied.
      'select count(*) as count, max(discarded_at) as last from discarded_stay_adjustments where restored_at is null',
    );
    return { count: Number(row.count), lastDiscardedAt: row.last?.toISOString() ?? null };
  }

  private async parkedAdjustments(): Promise<ReconciliationReport['parkedAdjustments']> {
    const [row]: {
      count: string;
      oldest: Date | null;
      suspended_count: string;
      suspended_oldest: Date | null;
      closed_count: string;
      closed_oldest: Date | null;
    }[] = await this.dataSource.query(`
      with ${parkedOwners()}
      select count(*) as count, min(p.parked_at) as oldest,
        count(*) filter (where o.status = 'suspended') as suspended_count,
        min(p.parked_at) filter (where o.status = 'suspended') as suspended_oldest,
        count(*) filter (where o.status = 'closed') as closed_count,
        min(p.parked_at) filter (where o.status = 'closed') as closed_oldest
      from parked_stay_adjustments p left join parked_owner o on o.stay_key = p.stay_key`);
    const counted = (count: string, oldest: Date | null): ParkedCount => ({
      count: Number(count),
      oldestParkedAt: oldest?.toISOString() ?? null,
    });
    return {
      ...counted(row.count, row.oldest),
      awaitingReactivation: counted(row.suspended_count, row.suspended_oldest),
      onClosedAccounts: counted(row.closed_count, row.closed_oldest),
    };
  }
}
