import type { ChurnSignalDto } from '@loyalty/contracts';
import type { ComplaintTurns } from './complaint-turns';
import type { Instant } from './instant';

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

export type SignalKind =
  | ChurnSignalDto['kind']
  | typeof COMPLAINT_CLOSED
  | typeof COMPLAINT_REOPENED
  | typeof SURVEY_ANSWERED
  | typeof TIER_RAISED;

/** A guest's signal or marker: one per guest, kind and reference. */
export interface SignalRow {
  readonly guestId: string;
  readonly kind: SignalKind;
  readonly reference: string;
  readonly at: Instant;
}

export type SignalKey = Omit<SignalRow, 'at'>;

/** What a run of events did to the rows: those to write as they are now, and those to remove. */
export interface SignalChanges {
  readonly written: readonly SignalRow[];
  readonly removed: readonly SignalKey[];
}

const keyOf = (kind: string, reference: string) => `${kind}\u0000${reference}`;

/**
 * The signal and marker rows of a run of events' guests (of the kinds the events touch), read once and
 * changed event by event as one statement per change would have changed the table, so that each event
 * sees what the ones before it in the run did; `changes` is the difference to write back.
 */
export class GuestSignals {
  private readonly stored = new Map<string, Map<string, SignalRow>>();
  private readonly current = new Map<string, Map<string, SignalRow>>();

  constructor(rows: readonly SignalRow[]) {
    for (const row of rows) {
      this.rowsOf(this.stored, row.guestId).set(keyOf(row.kind, row.reference), row);
      this.rowsOf(this.current, row.guestId).set(keyOf(row.kind, row.reference), row);
    }
  }

  /** Records a signal or marker; one already there keeps the newer instant, so a late older event does not move it back. */
  record(guestId: string, kind: SignalKind, reference: string, at: Instant): void {
    const rows = this.rowsOf(this.current, guestId);
    const key = keyOf(kind, reference);
    const before = rows.get(key);
    if (!before || before.at < at) rows.set(key, { guestId, kind, reference, at });
  }

  /** Removes the guest's rows of a kind, or only the one with `reference`. */
  clear(guestId: string, kind: SignalKind, reference?: string): void {
    if (reference !== undefined) {
      this.current.get(guestId)?.delete(keyOf(kind, reference));
      return;
    }
    this.remove(guestId, (row) => row.kind === kind);
  }

  /** Removes the guest's rows of a kind from `at` or before. */
  clearUntil(guestId: string, kind: SignalKind, at: Instant): void {
    this.remove(guestId, (row) => row.kind === kind && row.at <= at);
  }

  /** The instant of the guest's newest row of these kinds, if any. */
  newest(guestId: string, kinds: readonly SignalKind[]): Instant | null {
    let newest: Instant | null = null;
    for (const row of this.current.get(guestId)?.values() ?? []) {
      if (kinds.includes(row.kind) && (newest === null || row.at > newest)) newest = row.at;
    }
    return newest;
  }

  /** Whether the guest has the row. */
  has(guestId: string, kind: SignalKind, reference: string): boolean {
    return this.current.get(guestId)?.has(keyOf(kind, reference)) ?? false;
  }

  /** The newest close and reopen of the complaint handled for the guest. */
  turns(guestId: string, complaintId: string): ComplaintTurns {
    const rows = this.current.get(guestId);
    return {
      closedAt: rows?.get(keyOf(COMPLAINT_CLOSED, complaintId))?.at ?? null,
      reopenedAt: rows?.get(keyOf(COMPLAINT_REOPENED, complaintId))?.at ?? null,
    };
  }

  /**
   * The rows that are new or at another instant than stored, and the stored rows that are gone. A row
   * removed and recorded again at its stored instant is unchanged.
   */
  changes(): SignalChanges {
    const written: SignalRow[] = [];
    const removed: SignalKey[] = [];
    for (const [guestId, rows] of this.current) {
      const stored = this.stored.get(guestId);
      for (const [key, row] of rows) if (stored?.get(key)?.at !== row.at) written.push(row);
      for (const [key, { kind, reference }] of stored ?? [])
        if (!rows.has(key)) removed.push({ guestId, kind, reference });
    }
    return { written, removed };
  }

  private remove(guestId: string, matches: (row: SignalRow) => boolean): void {
    const rows = this.current.get(guestId);
    for (const [key, row] of rows ?? []) if (matches(row)) rows?.delete(key);
  }

  private rowsOf(byGuest: Map<string, Map<string, SignalRow>>, guestId: string): Map<string, SignalRow> {
    let rows = byGuest.get(guestId);
    if (!rows) {
      rows = new Map();
      byGuest.set(guestId, rows);
    }
    return rows;
  }
}
