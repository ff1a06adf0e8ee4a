import type { EntityManager } from 'typeorm';
import { validateEvent } from '@loyalty/contracts';
import { stayKeyOf, type AccountStatus } from '../domain';
import { adjustmentKeyOf, type StayAdjusted } from './credited-stay-adjustment';

// Adjustments that arrived before their stay was credited (`parked_stay_adjustments`), each kept as the
// event it came as, until the stay is credited and they are applied with it; and adjustments of a credited
// stay that its suspended account refused, until the account is reactivated (which a close waits for).

/** An adjustment parked for its stay, in the order adjustments arrived. */
export interface ParkedAdjustment {
  readonly stayKey: string;
  readonly adjustmentKey: string;
  readonly event: StayAdjusted;
  /** Applied already, under another stay: an adjustment id reused by the property, applied once. */
  readonly applied: boolean;
}

/**
 * Why a parked adjustment waits, told by the account its stay is credited to now (through merge links):
 * none while the stay is not credited; a suspended account's reactivation; nothing, on a closed account,
 * as it never applies; on an active account, the `apply-parked-adjustments` job (one that is still parked
 * after a run is one the job cannot apply, and its warning says why).
 */
export const PARKED_REASONS = [
  'stay-not-credited',
  'awaiting-reactivation',
  'on-closed-account',
  'awaiting-job',
] as const;
export type ParkedReason = (typeof PARKED_REASONS)[number];

/** The owner's status, or `uncredited` when no account owns the stay yet. */
export type OwnerState = AccountStatus | 'uncredited';

const PARKED_REASON_OF: Readonly<Record<OwnerState, ParkedReason>> = {
  uncredited: 'stay-not-credited',
  suspended: 'awaiting-reactivation',
  closed: 'on-closed-account',
  active: 'awaiting-job',
};

export function parkedReasonOf(owner: OwnerState): ParkedReason {
  return PARKED_REASON_OF[owner];
}

/** The owner state a reason stands for, to filter on in SQL. */
export function ownerStateParkedFor(reason: ParkedReason): OwnerState {
  const [owner] = (Object.keys(PARKED_REASON_OF) as OwnerState[]).filter(
    (state) => PARKED_REASON_OF[state] === reason,
  );
  return owner;
}

interface ParkedRow {
  stay_key: string;
  adjustment_key: string;
  event: unknown;
  applied: boolean;
  /** The stay's parked rows the statement saw, those another transaction held included. */
  visible: number;
}

/**
 * Parks an adjustment until its stay is credited; false if it was parked already (a redelivery), or was
 * claimed already: applied, or discarded by a chain admin, whose decision a redelivery must not undo by
 * parking it again for ever. Parked at the database's clock as the row is written, which the list of
 * parked adjustments relies on (`listingHorizon`): not the service's, taken before the batch began.
 */
export async function parkAdjustment(manager: EntityManager, event: StayAdjusted): Promise<boolean> {
  const [stayKey, adjustmentKey] = [stayKeyOf(event.data), adjustmentKeyOf(event)];
  const rows: unknown[] = await manager.query(
    `insert into parked_stay_adjustments (stay_key, adjustment_key, event, parked_at)
     select $1::text, $2::text, $3::jsonb, clock_timestamp()
     where not exists (select 1 from applied_operations where kind = 'stay-adjustment' and key = $2)
     on conflict do nothing returning 1`,
    [stayKey, adjustmentKey, JSON.stringify(event.envelope)],
  );
  if (rows.length === 0) return false;
  // The insert's check read a snapshot from before it waited for a discard (or an applier) deleting the
  // row it then replaced: a statement of its own sees that claim, committed by now, and takes the row back.
  const claimed: unknown[] = await manager.query(
    `with removed as (
       delete from parked_stay_adjustments p where p.stay_key = $1 and p.adjustment_key = $2
         and exists (select 1 from applied_operations where kind = 'stay-adjustment' and key = $2)
       returning 1)
     select 1 from removed`,
    [stayKey, adjustmentKey],
  );
  return claimed.length === 0;
}

/** The adjustments parked for one stay, in the order they arrived. */
export async function parkedOf(manager: EntityManager, stayKey: string): Promise<ParkedAdjustment[]> {
  return (await parkedFor(manager, [stayKey])).get(stayKey) ?? [];
}

/**
 * Removes exactly these parked adjustments, once applied: one parked since they were read (by a transaction
 * that could not see the stay credited yet) was not applied, and waits for its turn.
 */
export async function unpark(manager: EntityManager, parked: readonly ParkedAdjustment[]): Promise<void> {
  if (parked.length === 0) return;
  await manager.query(
    `delete from parked_stay_adjustments p
     using json_to_recordset($1::json) as r(stay_key text, adjustment_key text)
     where p.stay_key = r.stay_key and p.adjustment_key = r.adjustment_key`,
    [
      JSON.stringify(
        parked.map(({ stayKey, adjustmentKey }) => ({ stay_key: stayKey, adjustment_key: adjustmentKey })),
      ),
    ],
  );
}

/**
 * `with` queries naming `parked_owner (stay_key, account_id, status)`: each credited stay with adjustments
 * parked, and the account that owns it now, whose status decides whether they can apply: the account it was
 * credited to, or the survivor its merge links lead to (a merged account is closed, `merged_into` set).
 * `stays` is SQL selecting the stay keys to look at: every stay with adjustments parked by default.
 */
export const parkedOwners = (stays = 'select stay_key from parked_stay_adjustments'): string => `
  recursive parked_link (stay_key, account_id, merged_into, status) as (
    select c.stay_key, a.id, a.merged_into, a.status
    from credited_stays c join accounts a on a.id = c.account_id
    where c.stay_key in (${stays})
    union
    select l.stay_key, a.id, a.merged_into, a.status
    from parked_link l join accounts a on a.id = l.merged_into
  ),
  parked_owner as (
    select stay_key, account_id, status from parked_link where merged_into is null
  )`;

/**
 * Credited stays with adjustments still parked whose account is active, each once: every such stay, or
 * those of this account (its own stays and those of the accounts merged into it). Parked while the stay's
 * crediting transaction ran, or refused by an account suspended since reactivated. The stays of an account
 * still suspended wait for its reactivation, and those of a closed one never apply: neither is taken, so
 * neither is locked nor refused again on every run.
 */
export async function creditedStaysWithParked(
  db: Pick<EntityManager, 'query'>,
  ownerId?: string,
): Promise<string[]> {
  const rows: { stay_key: string }[] = await db.query(
    `with ${parkedOwners()}
     select stay_key from parked_owner
     where status = 'active' and ($1::text is null or account_id = $1)
     order by stay_key`,
    [ownerId ?? null],
  );
  return rows.map((row) => row.stay_key);
}

/**
 * How many adjustments are parked for the stays credited to these accounts (an account and those merged
 * into it): all would apply to the account, at its reactivation or by the job. Read under the account's
 * lock, the count misses no adjustment its suspended account refused: that one is parked under the same
 * lock (`StayAdjustmentService`).
 */
export async function parkedForStaysOf(
  manager: EntityManager,
  accountIds: readonly string[],
): Promise<number> {
  const [row]: { count: string }[] = await manager.query(
    `select count(*) as count from parked_stay_adjustments p
     join credited_stays c on c.stay_key = p.stay_key
     where c.account_id = any($1::text[])`,
    [accountIds],
  );
  return Number(row.count);
}

/**
 * The adjustments parked for these stays, by stay, in the order they arrived. Their rows are locked until
 * the caller commits, so a discard cannot take one that is being applied, and one a discard took first is
 * not read (`ParkedAdjustmentsService.discard`). The row is the one lock every applier shares with a
 * discard: a batch crediting the stay has no stay row yet to lock. The stay's next adjustment, a
 * reactivation and the job lock the stay, then these rows, then the account: they wait for the rows.
 */
export async function parkedFor(
  manager: EntityManager,
  stayKeys: readonly string[],
): Promise<Map<string, ParkedAdjustment[]>> {
  return byStay(await lockParked(manager, stayKeys, 'for update of p'));
}

/**
 * `parkedFor` for the batch crediting these stays, one query for the whole batch, which holds their
 * accounts already: waiting here for a row another transaction holds would take the rows after the
 * account, the other appliers' order reversed (a deadlock with the job or the stay's next adjustment).
 * So it skips a locked row, and leaves the whole stay's parked adjustments where they are when it skipped
 * one, so that they still apply in the order they arrived. Whoever holds the row is an applier of a stay
 * credited already, so this batch's own credit of that stay fails on `credited_stays`' key and the batch
 * is replayed event by event; or another batch crediting the same stay, whose commit fails this one so too;
 * or a discard, which deletes the row. Should that other transaction roll back instead, the stay is
 * credited here without them and they wait, on an active account, for the job.
 */
export async function parkedForCrediting(
  manager: EntityManager,
  stayKeys: readonly string[],
): Promise<Map<string, ParkedAdjustment[]>> {
  const rows = await lockParked(manager, stayKeys, 'for update of p skip locked');
  const read = byStay(rows);
  for (const row of rows) {
    if ((read.get(row.stay_key)?.length ?? 0) < row.visible) read.delete(row.stay_key);
  }
  return read;
}

async function lockParked(
  manager: EntityManager,
  stayKeys: readonly string[],
  locking: 'for update of p' | 'for update of p skip locked',
): Promise<ParkedRow[]> {
  return manager.query(
    `select p.stay_key, p.adjustment_key, p.event,
       exists (select 1 from applied_operations o
               where o.kind = 'stay-adjustment' and o.key = p.adjustment_key) as applied,
       (select count(*) from parked_stay_adjustments v where v.stay_key = p.stay_key)::int as visible
     from parked_stay_adjustments p where p.stay_key = any($1::text[]) order by p.sequence
     ${locking}`,
    [stayKeys],
  );
}

function byStay(rows: readonly ParkedRow[]): Map<string, ParkedAdjustment[]> {
  const parked = new Map<string, ParkedAdjustment[]>();
  for (const row of rows) {
    const ofStay = parked.get(row.stay_key) ?? [];
    ofStay.push({
      stayKey: row.stay_key,
      adjustmentKey: row.adjustment_key,
      event: eventOf(row),
      applied: row.applied,
    });
    parked.set(row.stay_key, ofStay);
  }
  return parked;
}

/**
 * For a batch that credited stays with parked adjustments: removes exactly the rows it read (one parked
 * since was not applied, and waits for `applyParked`) and claims the adjustments it applied, as CTEs of the
 * batch's statement with parameters `$first` and `$first + 1`. A claim is a plain insert: an adjustment
 * applied concurrently fails the batch, which is then replayed event by event and sees it applied.
 */
export function unparkWrites(
  unparked: readonly { adjustment: ParkedAdjustment; accountId: string }[],
  first: number,
): { ctes: string[]; params: unknown[] } {
  if (unparked.length === 0) return { ctes: [], params: [] };
  const removed = unparked.map(({ adjustment }) => ({
    stay_key: adjustment.stayKey,
    adjustment_key: adjustment.adjustmentKey,
  }));
  const claimed = unparked
    .filter(({ adjustment }) => !adjustment.applied)
    .map(({ adjustment, accountId }) => ({ key: adjustment.adjustmentKey, account_id: accountId }));
  return {
    ctes: [
      `unparked as (
         delete from parked_stay_adjustments p
         using json_to_recordset($${first}::json) as r(stay_key text, adjustment_key text)
         where p.stay_key = r.stay_key and p.adjustment_key = r.adjustment_key
         returning 1)`,
      `adjustments_claimed as (
         insert into applied_operations (kind, key, account_id)
         select 'stay-adjustment', key, account_id
         from json_to_recordset($${first + 1}::json) as r(key text, account_id text)
         returning 1)`,
    ],
    params: [JSON.stringify(removed), JSON.stringify(claimed)],
  };
}

/** The parked event as it was received; validated again, as it was when it arrived. */
function eventOf(row: Pick<ParkedRow, 'event'>): StayAdjusted {
  return validateEvent(row.event, 'stay-adjusted');
}
