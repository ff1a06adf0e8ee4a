import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ValidatedEvent } from '@loyalty/contracts';
import { mergeQualifyingYears, tierAfterMerge, type YearProgress } from '../domain';
import { AccountStore, MergeLinksChanged } from './account-store';
import { AccountWork, workFor, writesOf } from './account-work';
import { announce, announceTier, type Publish } from './ledger-announcements';
import { LEDGER_PROGRAM } from './ledger-program';
import { guard } from './guard';
import { keptText, REDACTED } from './redaction';

/** Claims a business operation once; false when it was applied before (under any event id). */
export async function claimOperation(
  manager: EntityManager,
  kind: string,
  key: string,
  accountId: string | null = null,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `insert into applied_operations (kind, key, account_id) values ($1, $2, $3)
     on conflict do nothing returning key`,
    [kind, key, accountId],
  );
  return rows.length > 0;
}

/** The ledger's reactions to other services' events, other than stays (StayEarningService, StayAdjustmentService). */
@Injectable()
export class LedgerEventsService {
  constructor(private readonly store: AccountStore) {}

  /** Credits a complaint's compensation once, as a `service` adjustment within the service role's cap. */
  async compensate(
    manager: EntityManager,
    event: ValidatedEvent<'compensation-granted'>,
    now: Date,
    publish: Publish,
  ): Promise<void> {
    const { guestId, compensationId, complaintId, points, approvedBy } = event.data;
    if (!(await claimOperation(manager, 'compensation', compensationId, guestId))) return;
    await this.store.ensure(manager, [guestId], now);
    const stored = await this.store.lockOne(manager, guestId);
    if (!stored) throw new Error(`account of guest ${guestId} was not loaded`);
    const work = new AccountWork(stored);
    const change = guard(() =>
      work.apply(
        work.account.adjust(
          {
            points,
            reason: `compensation for complaint ${complaintId}`,
            role: 'service',
            staffId: approvedBy,
            complaintId,
            sourceEventId: event.envelope.id,
          },
          LEDGER_PROGRAM.adjustmentCaps,
          LEDGER_PROGRAM,
          now,
        ),
      ),
    );
    await this.store.save(manager, writesOf([work]));
    // The account is the survivor's when the complaint named an id merged away since: its balance is the survivor's.
    await announce(publish, change, { guestId: stored.guestId });
  }

  /**
   * Moves the merged guest's whole account into the survivor's: balance unchanged, every entry kept
   * (on its original account id, listed in the survivor's statement), a stay credited on both reversed
   * once. The survivor adds up both lifetimes earned and the qualifying counts of each year, is paid the
   * milestones the combined counts cross (`mergeQualifyingYears`), and keeps the higher of the two tiers, or
   * a tier staff locked on either side, re-evaluated on the combined counts as a stay would be
   * (`tierAfterMerge`). Erasure comes on another topic, so the survivor may be erased already: what the
   * merge brings is then redacted too.
   */
  async merge(
    manager: EntityManager,
    event: ValidatedEvent<'guest-merged'>,
    now: Date,
    publish: Publish,
  ): Promise<void> {
    const { survivorId, mergedId } = event.data;
    if (!(await claimOperation(manager, 'merge', mergedId, survivorId))) return;
    await this.store.ensure(manager, [survivorId, mergedId], now);
    const works = workFor(await this.store.lock(manager, [survivorId, mergedId], { allStayEntries: true }));
    const survivor = works.get(survivorId);
    const merged = works.get(mergedId);
    if (!survivor || !merged) throw new Error('accounts to merge were not loaded');
    if (survivor === merged) return;
    const result = guard(() => survivor.account.mergeFrom(merged.account, now));
    survivor.apply(result);
    const combined = mergeQualifyingYears(
      survivor.stored.progress,
      merged.stored.progress,
      LEDGER_PROGRAM.milestones,
      now,
    );
    const milestones = guard(() =>
      survivor.apply(
        survivor.account.payMergeMilestones(merged.id, combined.milestones, LEDGER_PROGRAM, now),
      ),
    );
    const tier = tierAfterMerge(survivor.tier, merged.tier, combined.years, LEDGER_PROGRAM, now);
    const { lock } = tier.status;
    // A lock the merged account brings is written on the survivor's row, which erasure redacted already.
    survivor.tier =
      lock && lock !== survivor.tier.lock
        ? { ...tier.status, lock: { ...lock, reason: keptText(survivor.stored, lock.reason) } }
        : tier.status;
    // The merged guest's earn entries were written before the merge, so the survivor's write adds none of
    // them: its lifetime total joins the one the write starts from.
    const write = survivor.toWrite();
    const lifetimeEarned = write.before.lifetimeEarned + merged.stored.lifetimeEarned;
    await this.store.save(
      manager,
      [{ ...write, before: { ...write.before, lifetimeEarned } }],
      [result.source.toSnapshot()],
    );
    await writeYears(manager, survivor.id, combined.years);
    await manager.query('delete from qualifying_progress where account_id = $1', [merged.id]);
    await manager.query(
      `insert into promotion_usage (account_id, promotion_id, period, awards)
       select $2, promotion_id, period, awards from promotion_usage where account_id = $1
       on conflict (account_id, promotion_id, period) do update
         set awards = promotion_usage.awards + excluded.awards`,
      [merged.id, survivor.id],
    );
    await manager.query('delete from promotion_usage where account_id = $1', [merged.id]);
    if (survivor.stored.erased) {
      await redactFreeText(manager, [merged.id, ...merged.stored.account.toSnapshot().mergedAccountIds]);
    }
    const context = { guestId: survivor.stored.guestId };
    await announce(publish, result, context);
    await announce(publish, milestones, context);
    await announceTier(publish, survivor.stored.guestId, tier.change);
  }

  /**
   * Pseudonymises what the ledger holds about an erased guest: free-text reasons and staff notes in the
   * entries, the status audit trail and the tier lock are redacted (the append-only trigger allows exactly
   * this edit, amounts untouched), and the account is marked erased. The guest id stays, as an opaque key, so amounts still reconcile. A guest
   * with no account gets an empty one, marked erased: a merge into them handled later then redacts what it
   * brings, and the account's row lock orders the erasure and a concurrent merge as for any account.
   */
  async erase(manager: EntityManager, event: ValidatedEvent<'guest-erased'>, now: Date): Promise<void> {
    const { guestId } = event.data;
    await this.store.ensure(manager, [guestId], now);
    // The redaction writes the accounts merged into this one too: all are locked in one statement in the
    // global order (`AccountStore.lock`), as locking this one first deadlocked with a transaction locking
    // a merged-away account and its survivor in order.
    const [found]: { id: string; merged_account_ids: string[] }[] = await manager.query(
      'select id, merged_account_ids from accounts where guest_id = $1',
      [guestId],
    );
    if (!found) throw new Error(`account of guest ${guestId} was not opened`);
    const lockedIds = [found.id, ...found.merged_account_ids];
    const locked: { id: string; merged_account_ids: string[] }[] = await manager.query(
      `select id, merged_account_ids from accounts where id = any($1::text[]) order by id collate "C" for update`,
      [lockedIds],
    );
    const account = locked.find((row) => row.id === found.id) as { id: string; merged_account_ids: string[] };
    const mergedMeanwhile = account.merged_account_ids.filter((id) => !lockedIds.includes(id));
    if (mergedMeanwhile.length > 0) throw new MergeLinksChanged(mergedMeanwhile);
    await manager.query('update accounts set erased_at = coalesce(erased_at, $2) where id = $1', [
      account.id,
      now,
    ]);
    await redactFreeText(manager, [account.id, ...account.merged_account_ids]);
  }
}

/**
 * Writes an account's qualifying years as a merge left them. Their counts were read under the account's
 * lock, which every writer of its years holds, so the totals replace what is stored.
 */
async function writeYears(
  manager: EntityManager,
  accountId: string,
  years: readonly YearProgress[],
): Promise<void> {
  if (years.length === 0) return;
  await manager.query(
    `insert into qualifying_progress (account_id, year, nights, stays, base_points, nights_reached, stays_reached)
     select $1, r.* from json_to_recordset($2::json)
       as r(year int, nights int, stays int, base_points int, nights_reached int, stays_reached int)
     on conflict (account_id, year) do update set nights = excluded.nights, stays = excluded.stays,
       base_points = excluded.base_points, nights_reached = excluded.nights_reached,
       stays_reached = excluded.stays_reached`,
    [
      accountId,
      JSON.stringify(
        years.map((year) => ({
          year: year.year,
          nights: year.nights,
          stays: year.stays,
          base_points: year.basePoints,
          nights_reached: year.reached.nights,
          stays_reached: year.reached.stays,
        })),
      ),
    ],
  );
}

/**
 * Redacts the free-text reasons of these accounts' entries, status changes, tier locks and discarded stay
 * adjustments; amounts stay.
 * What commands write once the account is erased is redacted as it is written (`keptText`).
 */
async function redactFreeText(manager: EntityManager, accountIds: readonly string[]): Promise<void> {
  await manager.query(`set local ledger.erasure = 'on'`);
  await manager.query(
    `update ledger_entries set cause = cause || jsonb_build_object('reason', $2::text)
     where account_id = any($1::text[]) and cause ? 'reason' and cause->>'reason' <> $2`,
    [accountIds, REDACTED],
  );
  await manager.query(`set local ledger.erasure = 'off'`);
  await manager.query(`update account_status_changes set reason = $2 where account_id = any($1::text[])`, [
    accountIds,
    REDACTED,
  ]);
  // A discard of an adjustment whose stay was not credited yet names no account; its stay, credited since
  // to one of these accounts, is what ties its reason to the guest.
  await manager.query(
    `update discarded_stay_adjustments set reason = $2, restore_reason = case when restore_reason is not null then $2 end
     where account_id = any($1::text[])
        or (account_id is null
            and stay_key in (select stay_key from credited_stays where account_id = any($1::text[])))`,
    [accountIds, REDACTED],
  );
  await manager.query(
    `update accounts set tier_lock = tier_lock || jsonb_build_object('reason', $2::text)
     where id = any($1::text[]) and tier_lock ? 'reason'`,
    [accountIds, REDACTED],
  );
}
