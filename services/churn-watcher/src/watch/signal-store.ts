import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CHURN_SIGNALS, type ChurnSignalDto } from '@loyalty/contracts';

/**
 * Marks a complaint whose close was handled: opens and closes come on different topics, so an open can
 * be handled after its close and must then record nothing. Kept as a signal row so that merges and
 * erasures carry or drop it with the guest's signals; it is never evidence.
 */
export const COMPLAINT_CLOSED = 'complaint-closed';

type SignalKind = ChurnSignalDto['kind'] | typeof COMPLAINT_CLOSED;

/**
 * Recent events that make a lapse more likely, kept per guest for the evidence of an alert, and the
 * markers of closed complaints.
 */
@Injectable()
export class SignalStore {
  async record(
    manager: EntityManager,
    guestId: string,
    kind: SignalKind,
    reference: string,
    at: string,
  ): Promise<void> {
    await manager.query(
      `insert into churn_signals (guest_id, kind, reference, at) values ($1, $2, $3, $4)
       on conflict (guest_id, kind, reference) do update set at = excluded.at`,
      [guestId, kind, reference, at],
    );
  }

  /**
   * Records the complaint as open, unless its close was handled first (its marker is there): one
   * statement, so each open costs one query.
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
       on conflict (guest_id, kind, reference) do update set at = excluded.at`,
      [guestId, complaintId, openedAt, COMPLAINT_CLOSED],
    );
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
       select $1, kind, reference, at from churn_signals where guest_id = $2 on conflict do nothing`,
      [survivorId, mergedId],
    );
    await this.forget(manager, mergedId);
    // A complaint can have opened under one id and closed under the other before the merge was handled.
    await manager.query(
      `delete from churn_signals opened using churn_signals closed
       where opened.guest_id = $1 and opened.kind = 'complaint-opened'
         and closed.guest_id = $1 and closed.kind = $2 and closed.reference = opened.reference`,
      [survivorId, COMPLAINT_CLOSED],
    );
  }

  async forget(manager: EntityManager, guestId: string): Promise<void> {
    await manager.query(`delete from churn_signals where guest_id = $1`, [guestId]);
  }
}
