import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Role } from '@loyalty/auth';
import { Clock, isPostgresBigint, parseKeysetCursor, type Page } from '@loyalty/platform';
import { discardedAdjustmentNotFound, parkedAdjustmentNotFound } from '../domain';
import {
  ownerStateParkedFor,
  parkedOwners,
  parkedReasonOf,
  type OwnerState,
  type ParkedReason,
} from './parked-adjustments';
import { FIRST_POSITION, listingHorizon, settledPage } from './parked-listing';
import { REDACTED } from './redaction';

export interface ParkedAdjustmentsQuery {
  stayKey?: string;
  guestId?: string;
  parkedBecause?: ParkedReason;
  limit: number;
  cursor?: string;
}

export interface ParkedAdjustmentView {
  stayKey: string;
  adjustmentKey: string;
  parkedAt: string;
  parkedBecause: ParkedReason;
  /** The account it would apply to (its stay's, or the survivor of that one's merges); null until credited. */
  accountId: string | null;
  /** The `stay-adjusted` event as it was received. */
  event: unknown;
}

export interface DiscardedAdjustment extends ParkedAdjustmentView {
  reason: string;
  discardedBy: { staffId: string; roles: Role[] };
  discardedAt: string;
  /** Set once a chain admin undid the discard, parking the adjustment again. */
  restored: { reason: string; by: { staffId: string; roles: Role[] }; at: string } | null;
}

/** Who decides about a parked adjustment (discards it, or restores one discarded), and why. */
export interface DiscardAudit {
  reason: string;
  staffId: string;
  roles: readonly Role[];
}

interface OwnerRow {
  account_id: string | null;
  owner_state: OwnerState;
}

interface ParkedListRow extends OwnerRow {
  sequence: string;
  parked_at_us: string;
  /** Parked before the listing horizon: see `listingHorizon`. */
  settled: boolean;
  stay_key: string;
  adjustment_key: string;
  event: unknown;
  parked_at: Date;
}

interface DiscardedRow {
  id: string;
  stay_key: string;
  adjustment_key: string;
  event: unknown;
  parked_at: Date;
  parked_because: ParkedReason;
  account_id: string | null;
  reason: string;
  staff_id: string;
  staff_roles: Role[];
  discarded_at: Date;
  restored_at: Date | null;
  restored_by: string | null;
  restored_by_roles: Role[] | null;
  restore_reason: string | null;
  /** Whether the discard made the adjustment's claim, which only then is its restore's to give up. */
  claimed: boolean;
}

/**
 * What an operator sees of the stay adjustments still parked, and the one way one leaves without being
 * applied: a chain admin's discard, which moves it whole into `discarded_stay_adjustments`, and which a
 * chain admin can undo.
 */
@Injectable()
export class ParkedAdjustmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Oldest first: by when each was first parked, kept through a discard and its restore, then in the order
   * they arrived; keyset-paginated on that order, short of the horizon (`listingHorizon`), so that no
   * adjustment a transaction is still parking can appear behind a page already read.
   */
  async list(query: ParkedAdjustmentsQuery): Promise<Page<ParkedAdjustmentView>> {
    const from = query.cursor ? positionAfter(query.cursor) : FIRST_POSITION;
    const horizon = await listingHorizon(this.dataSource);
    const rows: ParkedListRow[] = await this.dataSource.query(
      `with ${parkedOwners()},
       listed as (
         select p.sequence, (extract(epoch from p.parked_at) * 1000000)::bigint as parked_at_us,
           p.parked_at < $7::timestamptz as settled, p.stay_key, p.adjustment_key, p.event, p.parked_at,
           o.account_id, coalesce(o.status, '${UNCREDITED}') as owner_state
         from parked_stay_adjustments p left join parked_owner o on o.stay_key = p.stay_key)
       select l.sequence::text as sequence, l.parked_at_us::text as parked_at_us, l.settled, l.stay_key,
         l.adjustment_key, l.event, l.parked_at, l.account_id, l.owner_state
       from listed l
       where ($1::text is null or l.stay_key = $1)
         and ($2::text is null or l.account_id = $2
              or exists (select 1 from credited_stays c where c.stay_key = l.stay_key and c.account_id = $2))
         and ($3::text is null or l.owner_state = $3)
         and (l.parked_at_us, l.sequence) > ($4::bigint, $5::bigint)
       order by l.parked_at_us, l.sequence
       limit $6`,
      [
        query.stayKey ?? null,
        query.guestId ?? null,
        query.parkedBecause ? ownerStateParkedFor(query.parkedBecause) : null,
        ...from,
        query.limit + 1,
        horizon,
      ],
    );
    const { items, nextCursor } = settledPage(rows, query.limit, from, (row) => [
      row.parked_at_us,
      row.sequence,
    ]);
    return {
      items: items.map((row) => ({
        stayKey: row.stay_key,
        adjustmentKey: row.adjustment_key,
        parkedAt: row.parked_at.toISOString(),
        parkedBecause: parkedReasonOf(row.owner_state),
        accountId: row.account_id,
        event: row.event,
      })),
      nextCursor,
    };
  }

  /**
   * Moves a parked adjustment, with its event as received, into the audit of discards, and claims it as
   * an applied adjustment is claimed, so that nothing applies it afterwards, not even a redelivery. Every
   * applier (the batch crediting the stay, the stay's next adjustment, a reactivation, the job) locks the
   * parked rows it reads (`parkedFor`; the batch skips one held, `parkedForCrediting`) and holds them
   * until it has removed what it applied; the discard removes the row first, so the adjustment is applied
   * or discarded, never both: a discard that waited for an applier finds it gone
   * (`PARKED_ADJUSTMENT_NOT_FOUND`, `applied`), and an applier that waited for a discard does not read it.
   * Asked again, it answers the record of the discard.
   */
  discard(stayKey: string, adjustmentKey: string, audit: DiscardAudit): Promise<DiscardedAdjustment> {
    return this.dataSource.transaction(async (manager) => {
      let parked = await removeParked(manager, stayKey, adjustmentKey);
      if (!parked) {
        const standing = await standingDiscard(manager, stayKey, adjustmentKey);
        if (standing) return viewOf(standing);
        // A restore of the discard, which the look for it waited for, has parked it again: this statement
        // sees the row it committed, which the first could not.
        parked = await removeParked(manager, stayKey, adjustmentKey);
        if (!parked) throw await notParked(manager, stayKey, adjustmentKey);
      }
      const owner = await ownerOf(manager, stayKey);
      // Claimed already when the property reused the adjustment's id for another stay, whose application
      // claimed it after this one was parked: that claim is the other stay's, not the discard's.
      const claimed: unknown[] = await manager.query(
        `insert into applied_operations (kind, key, account_id) values ('stay-adjustment', $1, $2)
         on conflict do nothing returning key`,
        [adjustmentKey, owner.account_id],
      );
      const [discarded]: DiscardedRow[] = await manager.query(
        `insert into discarded_stay_adjustments (stay_key, adjustment_key, event, parked_at, parked_because,
           account_id, reason, staff_id, staff_roles, discarded_at, claimed)
         values ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9, $10, $11)
         returning *`,
        [
          stayKey,
          adjustmentKey,
          JSON.stringify(parked.event),
          parked.parked_at,
          parkedReasonOf(owner.owner_state),
          owner.account_id,
          owner.erased ? REDACTED : audit.reason,
          audit.staffId,
          audit.roles,
          this.clock.now(),
          claimed.length > 0,
        ],
      );
      return viewOf(discarded);
    });
  }

  /**
   * Undoes the discard of an adjustment: parks it again, as it was received and when, and gives up the
   * discard's claim, so that it applies as a parked adjustment does (with its stay's crediting, the stay's
   * next adjustment, a reactivation or the `apply-parked-adjustments` job) or waits where the discard found
   * it. The discard's record stays, marked with who restored it, when and why (every record of the
   * adjustment's that stands, should a redelivery racing a discard have made two). Asked again, it answers
   * the last record. Only a claim the discard made is given up: one an application made under the same
   * id, reused by the property for another stay, stays that stay's, so its adjustment does not apply again.
   */
  restore(stayKey: string, adjustmentKey: string, audit: DiscardAudit): Promise<DiscardedAdjustment> {
    return this.dataSource.transaction(async (manager) => {
      // First, as an erasure takes the account and then the records it redacts, this one's among them.
      const owner = await ownerOf(manager, stayKey);
      // Locked: of two restores at once, the second reads the first's marks once it commits, and a discard
      // asked meanwhile waits to see whether its discard still stands.
      const records: DiscardedRow[] = await manager.query(
        `select * from discarded_stay_adjustments where stay_key = $1 and adjustment_key = $2
         order by id desc for update`,
        [stayKey, adjustmentKey],
      );
      const [discarded] = records;
      if (!discarded) throw discardedAdjustmentNotFound(stayKey, adjustmentKey);
      if (discarded.restored_at) return viewOf(discarded);
      if (records.some((record) => !record.restored_at && record.claimed)) {
        await manager.query(`delete from applied_operations where kind = 'stay-adjustment' and key = $1`, [
          adjustmentKey,
        ]);
      }
      // Copied in SQL: `parked_at` to the microsecond, where the list has it, which a Date would round.
      await manager.query(
        `insert into parked_stay_adjustments (stay_key, adjustment_key, event, parked_at)
         select stay_key, adjustment_key, event, parked_at from discarded_stay_adjustments where id = $1
         on conflict do nothing`,
        [discarded.id],
      );
      const [restored]: DiscardedRow[] = await manager.query(
        // Selected from a CTE, as the discard's delete: TypeORM answers a bare UPDATE with its row count too.
        `with restored as (
           update discarded_stay_adjustments
           set restored_at = $3, restored_by = $4, restored_by_roles = $5, restore_reason = $6
           where stay_key = $1 and adjustment_key = $2 and restored_at is null returning *)
         select * from restored order by id desc limit 1`,
        [
          stayKey,
          adjustmentKey,
          this.clock.now(),
          audit.staffId,
          audit.roles,
          owner.erased ? REDACTED : audit.reason,
        ],
      );
      return viewOf(restored);
    });
  }
}

/**
 * Removes the adjustment's parked row, answering what it held (`parked_at` as text, to the microsecond,
 * which a Date would round: the list orders by it); undefined when none is parked.
 */
async function removeParked(
  manager: EntityManager,
  stayKey: string,
  adjustmentKey: string,
): Promise<{ event: unknown; parked_at: string } | undefined> {
  // Selected from a CTE: TypeORM answers a bare DELETE with its row count beside the rows.
  const [parked]: { event: unknown; parked_at: string }[] = await manager.query(
    `with removed as (
       delete from parked_stay_adjustments where stay_key = $1 and adjustment_key = $2
       returning event, parked_at)
     select event, parked_at::text from removed`,
    [stayKey, adjustmentKey],
  );
  return parked;
}

/**
 * The discard of this adjustment that stands, for a discard asked again. One restored does not stand: the
 * adjustment it parked again may have been applied since. Locked, so that a restore committing meanwhile is
 * waited for and its mark seen.
 */
async function standingDiscard(
  manager: EntityManager,
  stayKey: string,
  adjustmentKey: string,
): Promise<DiscardedRow | undefined> {
  const [discarded]: DiscardedRow[] = await manager.query(
    `select * from discarded_stay_adjustments
     where stay_key = $1 and adjustment_key = $2 and restored_at is null
     order by id desc limit 1 for update`,
    [stayKey, adjustmentKey],
  );
  return discarded;
}

/** Why a discard finds nothing to discard: the adjustment was applied, or never came. */
async function notParked(manager: EntityManager, stayKey: string, adjustmentKey: string): Promise<Error> {
  const applied: unknown[] = await manager.query(
    `select 1 from applied_operations where kind = 'stay-adjustment' and key = $1`,
    [adjustmentKey],
  );
  return parkedAdjustmentNotFound(stayKey, adjustmentKey, applied.length > 0);
}

/** What `parked_owner` says of a stay not credited, which no account owns yet. */
const UNCREDITED: OwnerState = 'uncredited';

/**
 * The account the stay's adjustments would apply to now, and whether its guest was erased, the account
 * locked (shared) until the transaction ends: an erasure, which takes it exclusively before it redacts the
 * account's discards, then waits for this transaction and redacts what it wrote, or has committed and is
 * seen. Read unlocked, an erasure committing meanwhile would miss the discard this one writes.
 */
async function ownerOf(manager: EntityManager, stayKey: string): Promise<OwnerRow & { erased: boolean }> {
  const [owner]: (OwnerRow & { erased: boolean })[] = await manager.query(
    `with ${parkedOwners('select $1::text')}
     select o.account_id, o.status as owner_state, a.erased_at is not null as erased
     from parked_owner o join accounts a on a.id = o.account_id
     for share of a`,
    [stayKey],
  );
  return owner ?? { account_id: null, owner_state: UNCREDITED, erased: false };
}

/** The position a cursor resumes after: when its row was parked, in microseconds since 1970, and its sequence. */
function positionAfter(cursor: string): readonly string[] {
  const parts = parseKeysetCursor(cursor, [isPostgresBigint, isPostgresBigint]);
  if (!parts)
    throw new BadRequestException({ code: 'INVALID_CURSOR', message: 'cursor is not one this API returned' });
  return parts;
}

function viewOf(row: DiscardedRow): DiscardedAdjustment {
  return {
    stayKey: row.stay_key,
    adjustmentKey: row.adjustment_key,
    parkedAt: row.parked_at.toISOString(),
    parkedBecause: row.parked_because,
    accountId: row.account_id,
    event: row.event,
    reason: row.reason,
    discardedBy: { staffId: row.staff_id, roles: row.staff_roles },
    discardedAt: row.discarded_at.toISOString(),
    restored: row.restored_at
      ? {
          reason: row.restore_reason!,
          by: { staffId: row.restored_by!, roles: row.restored_by_roles! },
          at: row.restored_at.toISOString(),
        }
      : null,
  };
}
