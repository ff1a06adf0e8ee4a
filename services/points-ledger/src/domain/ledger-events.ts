import type { Role } from '@loyalty/auth';
import type { AccountStatus } from './account-snapshot';

/**
 * What an operation did, for handlers to publish. Ledger entries are the record; events say what happened
 * to the guest, including things that move no points (a hold, a duplicate stay ignored).
 */
export type LedgerEvent =
  | {
      type: 'points-earned';
      /** The stay that earned them; none on the milestones a merge settled (their entry names the milestone). */
      stayKey?: string;
      entryId: string;
      points: number;
      state: 'pending' | 'available';
      availableAt: Date;
      /** When the lot the points went into expires; null when lots do not expire (or nothing was credited). */
      expiresAt: Date | null;
    }
  | { type: 'stay-already-credited'; stayKey: string }
  | { type: 'points-available'; lotIds: string[]; points: number }
  | { type: 'points-held'; holdId: string; points: number; expiresAt: Date }
  | { type: 'points-redeemed'; entryId: string; points: number; holdId?: string; redemptionId?: string }
  | { type: 'hold-released'; holdId: string; points: number; reason: 'released' | 'expired' }
  | { type: 'points-adjusted'; entryId: string; points: number; role: Role; staffId: string; reason: string }
  | {
      type: 'points-reversed';
      stayKey: string;
      entryId: string;
      /** Debited, clawback created, and the points that had expired already (`alreadyExpired`). */
      reversed: number;
      debited: number;
      clawbackCreated: number;
      /** Base points to take off the guest's qualifying credits, in the same proportion. */
      qualifyingBasePointsReversed: number;
    }
  | { type: 'clawback-settled'; entryId: string; points: number; remainingOwed: number }
  | { type: 'points-expired'; entryId: string; points: number; reason: 'lot' | 'inactivity' }
  | {
      type: 'points-transferred-out';
      entryId: string;
      transferId: string;
      toAccountId: string;
      points: number;
    }
  | {
      type: 'points-transferred-in';
      entryId: string;
      transferId: string;
      fromAccountId: string;
      points: number;
    }
  | { type: 'transfer-already-received'; transferId: string }
  | {
      type: 'accounts-merged';
      /** The survivor's entry recording the merge. */
      entryId: string;
      sourceAccountId: string;
      survivorAccountId: string;
      /** The source account's balance, moved into the survivor. */
      points: number;
    }
  | { type: 'account-status-changed'; from: AccountStatus; to: AccountStatus; reason: string };

export type LedgerEventType = LedgerEvent['type'];
