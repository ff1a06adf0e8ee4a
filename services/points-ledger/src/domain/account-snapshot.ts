import type { Role } from '@loyalty/auth';
import type { LedgerEntry } from './ledger-entry';
import { Lot, pointsIn } from './lots';

export type AccountStatus = 'active' | 'suspended' | 'closed';

export type HoldState = 'open' | 'confirmed' | 'released' | 'expired';

/** A staff member acting for a property: who placed or settled a hold, and where, for the audit. */
export interface StaffAtProperty {
  readonly staffId: string;
  readonly role: Role;
  readonly propertyId: string;
}

/** Points set aside for a redemption in progress; its lots are `held` until it is confirmed or let go. */
export interface Hold {
  readonly id: string;
  readonly points: number;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly state: HoldState;
  readonly settledAt?: Date;
  /** Absent on holds placed before who placed them was recorded. */
  readonly placedBy?: StaffAtProperty;
  /** Who confirmed or released the hold; absent while open and when it expired, which no one decides. */
  readonly settledBy?: StaffAtProperty;
}

/** The whole state of an account, as a repository loads and stores it. */
export interface AccountSnapshot {
  readonly id: string;
  readonly guestId: string;
  readonly status: AccountStatus;
  readonly openedAt: Date;
  /** Last earn, redemption, credit by adjustment or transfer received: the clock inactivity expiry runs on. */
  readonly lastActivityAt: Date;
  readonly lots: readonly Lot[];
  readonly entries: readonly LedgerEntry[];
  readonly holds: readonly Hold[];
  /** Points reversed after they were spent, to be taken from future credits. */
  readonly clawbackOwed: number;
  readonly nextSequence: number;
  readonly nextLotNumber: number;
  readonly mergedAccountIds: readonly string[];
  /** Set on the closed shell of an account merged into another; its history lives on there. */
  readonly mergedIntoAccountId?: string;
}

export interface Balances {
  readonly available: number;
  readonly pending: number;
  readonly held: number;
  /** available + pending + held, which always equals the sum of the entries. */
  readonly total: number;
  /** Points ever credited by stays (earn entries), before any reversal. */
  readonly lifetimeEarned: number;
  readonly clawbackOwed: number;
}

export function balancesOf(snapshot: AccountSnapshot): Balances {
  const available = pointsIn(snapshot.lots, 'available');
  const pending = pointsIn(snapshot.lots, 'pending');
  const held = pointsIn(snapshot.lots, 'held');
  const lifetimeEarned = snapshot.entries
    .filter((entry) => entry.type === 'earn')
    .reduce((sum, entry) => sum + entry.points, 0);
  return {
    available,
    pending,
    held,
    total: available + pending + held,
    lifetimeEarned,
    clawbackOwed: snapshot.clawbackOwed,
  };
}

export function openSnapshot(id: string, guestId: string, now: Date): AccountSnapshot {
  return {
    id,
    guestId,
    status: 'active',
    openedAt: now,
    lastActivityAt: now,
    lots: [],
    entries: [],
    holds: [],
    clawbackOwed: 0,
    nextSequence: 1,
    nextLotNumber: 1,
    mergedAccountIds: [],
  };
}
