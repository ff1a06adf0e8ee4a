import type { AccountSnapshot, AccountStatus, Hold } from './account-snapshot';
import { insufficientPoints, LedgerError, LedgerErrorCode } from './ledger-error';
import type { LedgerEntry } from './ledger-entry';
import type { LedgerEvent } from './ledger-events';
import { inState, Lot, pointsIn, spendOrder, sumPoints } from './lots';

export type EntryDraft = Omit<LedgerEntry, 'id' | 'accountId' | 'sequence' | 'occurredAt'>;

/**
 * The working copy one operation edits. Operations are written imperatively against it for readability;
 * the account only ever sees the frozen snapshot `commit` returns, and a thrown error discards the draft,
 * so a refused operation leaves no trace.
 */
export class AccountDraft {
  status: AccountStatus;
  lastActivityAt: Date;
  clawbackOwed: number;
  lots: Lot[];
  entries: LedgerEntry[];
  holds: Hold[];
  mergedAccountIds: string[];
  mergedIntoAccountId: string | undefined;
  readonly newEntries: LedgerEntry[] = [];
  readonly events: LedgerEvent[] = [];
  private nextSequence: number;
  private nextLotNumber: number;

  constructor(
    private readonly base: AccountSnapshot,
    readonly now: Date,
  ) {
    this.status = base.status;
    this.lastActivityAt = base.lastActivityAt;
    this.clawbackOwed = base.clawbackOwed;
    this.lots = [...base.lots];
    this.entries = [...base.entries];
    this.holds = [...base.holds];
    this.mergedAccountIds = [...base.mergedAccountIds];
    this.mergedIntoAccountId = base.mergedIntoAccountId;
    this.nextSequence = base.nextSequence;
    this.nextLotNumber = base.nextLotNumber;
  }

  get id(): string {
    return this.base.id;
  }

  /** The id the next appended entry will get, so lots can name the entry that closes them before it exists. */
  peekEntryId(): string {
    return `${this.id}:${this.nextSequence}`;
  }

  appendEntry(draft: EntryDraft): LedgerEntry {
    const entry: LedgerEntry = Object.freeze({
      ...draft,
      id: this.peekEntryId(),
      accountId: this.id,
      sequence: this.nextSequence,
      occurredAt: this.now,
    });
    this.nextSequence += 1;
    this.entries.push(entry);
    this.newEntries.push(entry);
    return entry;
  }

  addLot(fields: Omit<Lot, 'id'>): Lot {
    const lot: Lot = { ...fields, id: this.newLotId() };
    this.lots.push(lot);
    return lot;
  }

  emit(event: LedgerEvent): void {
    this.events.push(event);
  }

  points(state: Lot['state']): number {
    return pointsIn(this.lots, state);
  }

  /**
   * Moves up to `points` out of the eligible lots, in spend order, through `into`; a lot only partly taken
   * is split. Returns the portions taken; the caller decides what a shortfall means.
   */
  take(points: number, eligible: (lot: Lot) => boolean, into: (portion: Lot) => Lot): Lot[] {
    const taken: Lot[] = [];
    let remaining = points;
    for (const lot of this.lots.filter(eligible).sort(spendOrder)) {
      if (remaining <= 0) break;
      const portion = Math.min(remaining, lot.points);
      const index = this.lots.indexOf(lot);
      if (portion === lot.points) {
        this.lots[index] = into(lot);
        taken.push(this.lots[index]);
      } else {
        this.lots[index] = { ...lot, points: lot.points - portion };
        const child = into({ ...lot, id: this.newLotId(), parentLotId: lot.id, points: portion });
        this.lots.push(child);
        taken.push(child);
      }
      remaining -= portion;
    }
    return taken;
  }

  /** Pending lots whose lock period is over become available; spending calls this first. */
  promoteMaturedLots(): void {
    const matured = this.lots.filter(
      (lot) => lot.state === 'pending' && lot.availableAt.getTime() <= this.now.getTime(),
    );
    if (matured.length === 0) return;
    this.lots = this.lots.map((lot) => (matured.includes(lot) ? inState(lot, 'available') : lot));
    this.emit({ type: 'points-available', lotIds: matured.map((lot) => lot.id), points: sumPoints(matured) });
  }

  requireAvailable(points: number): void {
    const available = this.points('available');
    if (available < points) throw insufficientPoints(points, available);
  }

  assertNotClosed(): void {
    if (this.status === 'closed') {
      throw new LedgerError(LedgerErrorCode.ACCOUNT_CLOSED, `account ${this.id} is closed`, {
        accountId: this.id,
      });
    }
  }

  /** Suspended accounts neither earn nor spend. */
  assertActive(): void {
    this.assertNotClosed();
    if (this.status === 'suspended') {
      throw new LedgerError(LedgerErrorCode.ACCOUNT_SUSPENDED, `account ${this.id} is suspended`, {
        accountId: this.id,
      });
    }
  }

  commit(): AccountSnapshot {
    return Object.freeze({
      ...this.base,
      status: this.status,
      lastActivityAt: this.lastActivityAt,
      clawbackOwed: this.clawbackOwed,
      lots: Object.freeze(this.lots.map((lot) => Object.freeze(lot))),
      entries: Object.freeze([...this.entries]),
      holds: Object.freeze(this.holds.map((hold) => Object.freeze(hold))),
      nextSequence: this.nextSequence,
      nextLotNumber: this.nextLotNumber,
      mergedAccountIds: Object.freeze([...this.mergedAccountIds]),
      ...(this.mergedIntoAccountId === undefined ? {} : { mergedIntoAccountId: this.mergedIntoAccountId }),
    });
  }

  private newLotId(): string {
    const id = `${this.id}:L${this.nextLotNumber}`;
    this.nextLotNumber += 1;
    return id;
  }
}
