/**
 * A lot is a parcel of points with one state and one expiry. Spending part of a lot splits it: the lot
 * keeps the rest and a child lot (same source entry, same expiry) carries the part that changed state.
 */
export type LotState = 'pending' | 'available' | 'held' | 'consumed' | 'expired';

export interface Lot {
  readonly id: string;
  /** The lot this one was split from. */
  readonly parentLotId?: string;
  /** The entry that credited these points. */
  readonly sourceEntryId: string;
  readonly stayKey?: string;
  readonly points: number;
  readonly state: LotState;
  readonly creditedAt: Date;
  /** When the lock period ends and a pending lot becomes available. */
  readonly availableAt: Date;
  /** Per-lot expiry; null when per-lot expiry was off when the lot was credited. */
  readonly expiresAt: Date | null;
  /** Set while `held`. */
  readonly holdId?: string;
  /** The entry that consumed or expired the lot. */
  readonly closedByEntryId?: string;
}

export const LIVE_STATES: readonly LotState[] = ['pending', 'available', 'held'];

export function isLive(lot: Lot): boolean {
  return LIVE_STATES.includes(lot.state);
}

/** Live and not backing a redemption in progress: what reversals, expiry and clawback may take. */
export function isUnheld(lot: Lot): boolean {
  return lot.state === 'pending' || lot.state === 'available';
}

export function sumPoints(lots: readonly Lot[]): number {
  return lots.reduce((sum, lot) => sum + lot.points, 0);
}

export function pointsIn(lots: readonly Lot[], state: LotState): number {
  return sumPoints(lots.filter((lot) => lot.state === state));
}

const NEVER = Number.POSITIVE_INFINITY;

/**
 * The order points are taken in: available before pending, then the soonest expiry first (so the guest
 * loses as little as possible to expiry), then oldest credit, then id, so the order is total.
 */
export function spendOrder(a: Lot, b: Lot): number {
  const stateRank = (lot: Lot): number => (lot.state === 'available' ? 0 : 1);
  return (
    stateRank(a) - stateRank(b) ||
    (a.expiresAt?.getTime() ?? NEVER) - (b.expiresAt?.getTime() ?? NEVER) ||
    a.creditedAt.getTime() - b.creditedAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** A copy of a lot in a new state, without the fields that belonged to its previous state. */
export function inState(
  lot: Lot,
  state: LotState,
  extra: { holdId?: string; closedByEntryId?: string } = {},
): Lot {
  const { holdId: _holdId, closedByEntryId: _closedBy, ...rest } = lot;
  return { ...rest, state, ...extra };
}
