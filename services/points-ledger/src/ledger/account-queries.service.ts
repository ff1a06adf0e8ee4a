import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isIsoInstant, isPostgresInt, pageOf, parseKeysetCursor, type Page } from '@loyalty/platform';
import { isLocked, progressToNextTier, qualifyingYearAt } from '../domain';
import { tierOf, type TierColumns } from './account-store';
import { transactionIdOf } from './entry-ids';
import { LEDGER_PROGRAM } from './ledger-program';

export interface BalanceView {
  guestId: string;
  status: string;
  available: number;
  pending: number;
  held: number;
  balance: number;
  lifetimeEarned: number;
  clawbackOwed: number;
  tier: { id: string; validUntil: string | null; locked: boolean };
  progress: { year: number; nights: number; stays: number; basePoints: number };
  nextTier: { id: string; remaining: Record<string, number> } | null;
}

export interface StatementLine {
  transactionId: string;
  type: string;
  points: number;
  occurredAt: string;
  cause: Record<string, unknown>;
}

export interface StatementQuery {
  type?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

/** Read side: balances from the account row, statements straight from the append-only entries. */
@Injectable()
export class AccountQueriesService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The progress shown is this year's where the local time is `timeZone`'s: the year a stay departing
   * there now would count in, so that around New Year it is the year the guest's latest stays went to.
   */
  async balance(guestId: string, now: Date, timeZone: string): Promise<BalanceView> {
    const account = await this.account(guestId);
    const year = qualifyingYearAt(now, timeZone);
    const [progress]: { nights: number; stays: number; base_points: number }[] = await this.dataSource.query(
      'select nights, stays, base_points from qualifying_progress where account_id = $1 and year = $2',
      [account.id, year],
    );
    const current = {
      nights: progress?.nights ?? 0,
      stays: progress?.stays ?? 0,
      basePoints: progress?.base_points ?? 0,
    };
    const next = progressToNextTier(current, LEDGER_PROGRAM, account.tier_id);
    return {
      guestId,
      status: account.status,
      available: account.available,
      pending: account.pending,
      held: account.held,
      balance: account.balance,
      lifetimeEarned: account.lifetime_earned,
      clawbackOwed: account.clawback_owed,
      tier: {
        id: account.tier_id,
        validUntil: account.tier_valid_until?.toISOString() ?? null,
        // A timed lock that has run out is kept on the row until the next evaluation drops it.
        locked: isLocked(tierOf(account), now),
      },
      progress: { year, ...current },
      nextTier: next ? { id: next.nextTierId, remaining: next.remaining } : null,
    };
  }

  /**
   * Newest first, keyset-paginated on (occurred_at, account, sequence): stable while new entries keep
   * arriving. The sequence is compared as a number: the entry key holds it as text, where `:9` comes after
   * `:10`, and one operation writes several entries in one instant.
   */
  async statement(guestId: string, query: StatementQuery): Promise<Page<StatementLine>> {
    const account = await this.account(guestId);
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    const rows: {
      entry_key: string;
      type: string;
      points: number;
      occurred_at: Date;
      cause: Record<string, unknown>;
    }[] = await this.dataSource.query(
      `select entry_key, type, points, occurred_at, cause from ledger_entries
       where account_id = any($1::text[])
         and ($2::text is null or type = $2)
         and ($3::timestamptz is null or occurred_at >= $3)
         and ($4::timestamptz is null or occurred_at < $4)
         and ($5::timestamptz is null or (occurred_at, account_id, sequence) < ($5, $6::text, $7::int))
       order by occurred_at desc, account_id desc, sequence desc
       limit $8`,
      [
        [account.id, ...account.merged_account_ids],
        query.type ?? null,
        query.from ?? null,
        query.to ?? null,
        cursor?.at ?? null,
        cursor?.accountId ?? null,
        cursor?.sequence ?? null,
        query.limit + 1,
      ],
    );
    const { items, nextCursor } = pageOf(rows, query.limit, (row) => [
      row.occurred_at.toISOString(),
      row.entry_key,
    ]);
    return {
      items: items.map((row) => ({
        transactionId: transactionIdOf(row.entry_key),
        type: row.type,
        points: row.points,
        occurredAt: row.occurred_at.toISOString(),
        cause: row.cause,
      })),
      nextCursor,
    };
  }

  /**
   * The account the guest's id leads to: merges followed to the final survivor, as commands follow them (a
   * guest merged into one merged in turn still has their points, on the last account).
   */
  private async account(guestId: string): Promise<AccountRow> {
    const [row]: AccountRow[] = await this.dataSource.query(
      `with recursive chain as (
         select a.*, 0 as hops from accounts a where a.guest_id = $1
         union all
         select a.*, chain.hops + 1 from chain join accounts a on a.id = chain.merged_into where chain.hops < 10
       )
       select * from chain order by hops desc limit 1`,
      [guestId],
    );
    if (!row)
      throw new NotFoundException({ code: 'ACCOUNT_NOT_FOUND', message: `no account for guest ${guestId}` });
    return row;
  }
}

interface AccountRow extends TierColumns {
  id: string;
  status: string;
  available: number;
  pending: number;
  held: number;
  balance: number;
  lifetime_earned: number;
  clawback_owed: number;
  merged_account_ids: string[];
  merged_into: string | null;
}

/** An entry key, `<accountId>:<sequence>`, split into its account (text to Postgres) and sequence (int). */
function entryPosition(key: string): { accountId: string; sequence: string } | null {
  const separator = key.lastIndexOf(':');
  const accountId = key.slice(0, separator);
  const sequence = key.slice(separator + 1);
  // Postgres takes any text but one with a NUL.
  if (separator <= 0 || accountId.includes('\0') || !isPostgresInt(sequence)) return null;
  return { accountId, sequence };
}

/**
 * The statement's position in a cursor it handed out: `occurred_at` as `toISOString` writes it, and the
 * entry key. Cursors handed out when the statement was ordered by the key as text carry the same parts, so
 * they are still read.
 */
function decodeCursor(cursor: string): { at: string; accountId: string; sequence: string } {
  const parts = parseKeysetCursor(cursor, [isIsoInstant, (key) => entryPosition(key) !== null]);
  const position = parts && entryPosition(parts[1]);
  if (!parts || !position)
    throw new BadRequestException({ code: 'INVALID_CURSOR', message: 'cursor is not one this API returned' });
  return { at: parts[0], ...position };
}
