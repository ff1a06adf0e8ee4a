import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CHURN_SIGNALS, type ChurnSignalDto } from '@loyalty/contracts';
import type { ComplaintTurns } from '../domain';

/**
 * Marks a complaint whose close was handled: opens and closes come on different topics, so an open can
 * be handled after its close and must then record nothing. Kept as a signal row so that merges and
 * erasures carry or drop it with the guest's signals; it is never evidence.
 */
export const COMPLAINT_CLOSED = 'complaint-closed';

/**
 * Marks a complaint whose reopen was handled, at the newest reopen: a close older than it, handled after
 * it, must not close the complaint again. Like the close marker, never evidence.
 */
export const COMPLAINT_REOPENED = 'complaint-reopened';

/**
 * Marks the guest's newest survey answer with an NPS, at its `completedAt` (one row, reference
 * `NEWEST`): an older answer handled after it is ignored, and of two merged guests the newer answer
 * decides. Never evidence.
 */
export const SURVEY_ANSWERED = 'survey-answered';

/**
 * Marks the guest's newest tier upgrade, at its `changedAt` (one row, reference `NEWEST`): a downgrade
 * older than it no longer counts, also one handled after it or brought by a merge. Never evidence.
 */
export const TIER_RAISED = 'tier-raised';

/** The reference of a marker kept once per guest. */
export const NEWEST = 'newest';

/** Kinds that are a current state, not an event: they count however long ago they began. */
const AGELESS: readonly ChurnSignalDto['kind'][] = ['complaint-opened'];

type SignalKind =
  | ChurnSignalDto['kind']
  | typeof COMPLAINT_CLOSED
  | typeof COMPLAINT_REOPENED
  | typeof SURVEY_ANSWERED
  | typeof TIER_RAISED;

/**
 * Recent events that make a lapse more likely, kept per guest for the evidence of an alert, and the
 * markers of closed and reopened complaints, of the newest survey answer and of the newest upgrade.
 */
@Injectable()
export class SignalStore {
  /** Records a signal or marker; one already there keeps the newer instant, so a late older event does not move it back. */
  async record(
    manager: EntityManager,
    guestId: string,
    kind: SignalKind,
    reference: string,
    at: string,
  ): Promise<void> {
    await manager.query(
      `insert into churn_signals (guest_id, kind, reference, at) values ($1, $2, $3, $4)
       on conflict (guest_id, kind, reference) do update set at = greatest(churn_signals.at, excluded.at)`,
      [guestId, kind, reference, at],
    );
  }

  /**
   * Records the complaint as open, unless its close was handled first (its marker is there; if a newer
   * reopen was handled too, that reopen recorded it open already): one statement, so each open costs one
   * query.
   */
  async recordOpenUnlessClosed(
    manager: EntityManager,
    guestId: string,
    complaintId: string,
    openedAt: string,
  ): Promise<void> {
    await manager.query(
      `insert into churn_signals (guest_id, kind, reference, at)
       select $1::uuid, 'complaint-opened', $2::text, $3::timestamptz
       where not exists (select 1 from churn_signals where guest_id = $1 and kind = $4 and reference = $2)
       on conflict (guest_id, kind, reference) do update set at = greatest(churn_signals.at, excluded.at)`,
      [guestId, complaintId, openedAt, COMPLAINT_CLOSED],
    );
  }

  /** The newest close and reopen of the complaint handled for the guest. */
  async turns(manager: EntityManager, guestId: string, complaintId: string): Promise<ComplaintTurns> {
    const [turns]: ComplaintTurns[] = await manager.query(
      `select max(at) filter (where kind = $3) as "closedAt", max(at) filter (where kind = $4) as "reopenedAt"
       from churn_signals where guest_id = $1 and reference = $2 and kind in ($3, $4)`,
      [guestId, complaintId, COMPLAINT_CLOSED, COMPLAINT_REOPENED],
    );
    return turns;
  }

  /** The instant of the guest's newest signal or marker of these kinds, if any. */
  async newest(manager: EntityManager, guestId: string, kinds: readonly SignalKind[]): Promise<Date | null> {
    const [{ at }]: { at: Date | null }[] = await manager.query(
      `select max(at) as at from churn_signals where guest_id = $1 and kind = any($2::text[])`,
      [guestId, kinds],
    );
    return at === null ? null : new Date(at);
  }

  /** Removes the guest's signals of a kind from `at` or before. */
  async clearUntil(manager: EntityManager, guestId: string, kind: SignalKind, at: string): Promise<void> {
    await manager.query(`delete from churn_signals where guest_id = $1 and kind = $2 and at <= $3`, [
      guestId,
      kind,
      at,
    ]);
  }

  /** Removes the guest's signals of a kind, or only the one with `reference`. */
  async clear(manager: EntityManager, guestId: string, kind: SignalKind, reference?: string): Promise<void> {
    await manager.query(
      `delete from churn_signals where guest_id = $1 and kind = $2 and ($3::text is null or reference = $3)`,
      [guestId, kind, reference ?? null],
    );
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
