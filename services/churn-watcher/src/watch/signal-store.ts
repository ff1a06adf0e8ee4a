import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CHURN_SIGNALS, type ChurnSignalDto } from '@loyalty/contracts';
import {
  COMPLAINT_CLOSED,
  COMPLAINT_REOPENED,
  GuestSignals,
  SURVEY_ANSWERED,
  TIER_RAISED,
  type SignalChanges,
  type SignalKind,
  type SignalRow,
} from '../domain';

/** Kinds that are a current state, not an event: they count however long ago they began. */
const AGELESS: readonly ChurnSignalDto['kind'][] = ['complaint-opened'];

/**
 * Recent events that make a lapse more likely, kept per guest for the evidence of an alert, and the
 * markers of closed and reopened complaints, of the newest survey answer and of the newest upgrade.
 */
@Injectable()
export class SignalStore {
  /** The guests' rows of these kinds, of every reference, to change in memory (`GuestSignals`). */
  async read(
    manager: EntityManager,
    guestIds: readonly string[],
    kinds: readonly SignalKind[],
  ): Promise<GuestSignals> {
    const rows: SignalRow[] = await manager.query(
      `select guest_id as "guestId", kind, reference,
         to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at
       from churn_signals where guest_id = any($1::uuid[]) and kind = any($2::text[])`,
      [[...new Set(guestIds)], kinds],
    );
    return new GuestSignals(rows);
  }

  /**
   * Writes back what a run of events changed, in a statement per kind of write. The callers hold the
   * guests' keys, as every writer of a guest's signals does, so the rows are as they were read.
   */
  async write(manager: EntityManager, { written, removed }: SignalChanges): Promise<void> {
    if (removed.length > 0) {
      await manager.query(
        `delete from churn_signals where (guest_id, kind, reference) in
           (select * from unnest($1::uuid[], $2::text[], $3::text[]))`,
        [
          removed.map((row) => row.guestId),
          removed.map((row) => row.kind),
          removed.map((row) => row.reference),
        ],
      );
    }
    if (written.length > 0) {
      await manager.query(
        `insert into churn_signals (guest_id, kind, reference, at)
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])
         on conflict (guest_id, kind, reference) do update set at = excluded.at`,
        [
          written.map((row) => row.guestId),
          written.map((row) => row.kind),
          written.map((row) => row.reference),
          written.map((row) => row.at),
        ],
      );
    }
  }

  /**
   * Signals since `since`, and open complaints however old (open is a state: the row goes when the
   * complaint closes), newest first, at most 20 per guest (what the evidence carries; no marker).
   */
  async recent(
    manager: EntityManager,
    guestIds: string[],
    since: Date,
  ): Promise<Map<string, ChurnSignalDto[]>> {
    const rows: (ChurnSignalDto & { guestId: string; at: Date })[] = await manager.query(
      `select guest_id as "guestId", kind, reference, at from (
         select *, row_number() over (partition by guest_id order by at desc) as n
         from churn_signals where guest_id = any($1::uuid[]) and (at >= $2 or kind = any($4::text[]))
           and kind = any($3::text[])) recent
       where n <= 20 order by at desc`,
      [guestIds, since, CHURN_SIGNALS, AGELESS],
    );
    const byGuest = new Map<string, ChurnSignalDto[]>();
    for (const { guestId, kind, reference, at } of rows) {
      const list = byGuest.get(guestId) ?? [];
      list.push({ kind, reference, at: new Date(at).toISOString() });
      byGuest.set(guestId, list);
    }
    return byGuest;
  }

  async moveSignals(manager: EntityManager, survivorId: string, mergedId: string): Promise<void> {
    await manager.query(
      `insert into churn_signals (guest_id, kind, reference, at)
       select $1, kind, reference, at from churn_signals where guest_id = $2
       on conflict (guest_id, kind, reference) do update set at = greatest(churn_signals.at, excluded.at)`,
      [survivorId, mergedId],
    );
    await this.forget(manager, mergedId);
    // A complaint can have opened, closed and reopened under either id before the merge was handled: the
    // newest turn of the two decides, as `isNewestTurn` does when they arrive under one id.
    await manager.query(
      `delete from churn_signals opened using churn_signals closed
       where opened.guest_id = $1 and opened.kind = 'complaint-opened'
         and closed.guest_id = $1 and closed.kind = $2 and closed.reference = opened.reference
         and not exists (select 1 from churn_signals reopened where reopened.guest_id = $1
           and reopened.kind = $3 and reopened.reference = opened.reference and reopened.at >= closed.at)`,
      [survivorId, COMPLAINT_CLOSED, COMPLAINT_REOPENED],
    );
    // Closed unresolved stands only as the complaint's newest turn: not once reopened, nor once closed again.
    await manager.query(
      `delete from churn_signals unresolved using churn_signals turned
       where unresolved.guest_id = $1 and unresolved.kind = 'complaint-unresolved'
         and turned.guest_id = $1 and turned.reference = unresolved.reference
         and ((turned.kind = $2 and turned.at >= unresolved.at) or (turned.kind = $3 and turned.at > unresolved.at))`,
      [survivorId, COMPLAINT_REOPENED, COMPLAINT_CLOSED],
    );
    // Of the two guests' survey answers the newest decides (a detractor row is at its answer, so one
    // left without a marker still counts), and an upgrade of either clears the older downgrades.
    await manager.query(
      `delete from churn_signals detractor
       where detractor.guest_id = $1 and detractor.kind = 'detractor'
         and detractor.at < (select max(at) from churn_signals answered
           where answered.guest_id = $1 and answered.kind in ($2, 'detractor'))`,
      [survivorId, SURVEY_ANSWERED],
    );
    await manager.query(
      `delete from churn_signals downgrade using churn_signals raised
       where downgrade.guest_id = $1 and downgrade.kind = 'tier-downgrade'
         and raised.guest_id = $1 and raised.kind = $2 and downgrade.at <= raised.at`,
      [survivorId, TIER_RAISED],
    );
  }

  async forget(manager: EntityManager, guestId: string): Promise<void> {
    await manager.query(`delete from churn_signals where guest_id = $1`, [guestId]);
  }
}
