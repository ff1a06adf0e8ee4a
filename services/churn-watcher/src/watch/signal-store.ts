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

type SignalKind = ChurnSignalDto['kind'] | typeof COMPLAINT_CLOSED | typeof COMPLAINT_REOPENED;

/**
 * Recent events that make a lapse more likely, kept per guest for the evidence of an alert, and the
 * markers of closed and reopened complaints.
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

  /** Removes the guest's signals of a kind, or only the one with `reference`. */
  async clear(manager: EntityManager, guestId: string, kind: SignalKind, reference?: string): Promise<void> {
    await manager.query(
      `delete from churn_signals where guest_id = $1 and kind = $2 and ($3::text is null or reference = $3)`,
      [guestId, kind, reference ?? null],
    );
  }

  /** Signals since `since`, newest first, at most 20 per guest (what the evidence carries; no marker). */
  async recent(
    manager: EntityManager,
    guestIds: string[],
    since: Date,
  ): Promise<Map<string, ChurnSignalDto[]>> {
    const rows: (ChurnSignalDto & { guestId: string; at: Date })[] = await manager.query(
      `select guest_id as "guestId", kind, reference, at from (
         select *, row_number() over (partition by guest_id order by at desc) as n
         from churn_signals where guest_id = any($1::uuid[]) and at >= $2 and kind = any($3::text[])) recent
       where n <= 20 order by at desc`,
      [guestIds, since, CHURN_SIGNALS],
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
    await manager.query(
      `delete from churn_signals unresolved using churn_signals reopened
       where unresolved.guest_id = $1 and unresolved.kind = 'complaint-unresolved'
         and reopened.guest_id = $1 and reopened.kind = $2 and reopened.reference = unresolved.reference
         and reopened.at >= unresolved.at`,
      [survivorId, COMPLAINT_REOPENED],
    );
  }

  async forget(manager: EntityManager, guestId: string): Promise<void> {
    await manager.query(`delete from churn_signals where guest_id = $1`, [guestId]);
  }
}
