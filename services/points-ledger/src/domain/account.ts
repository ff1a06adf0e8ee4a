import { AccountDraft } from './account-draft';
import {
  AccountSnapshot,
  Balances,
  balancesOf,
  openSnapshot,
  type StaffAtProperty,
} from './account-snapshot';
import { AdjustmentRequest, adjustPoints } from './adjustment';
import { creditCorrectionMilestones, creditMergeMilestones, creditStay, creditTopUp } from './crediting';
import type { EarnResult } from './earning';
import { expireLots, ExpiringPoints, expiringSoon } from './expiry';
import { adjustmentsParked, LedgerError, LedgerErrorCode } from './ledger-error';
import type { LedgerEntry } from './ledger-entry';
import type { LedgerEvent } from './ledger-events';
import { mergeInto } from './merge';
import type { MilestoneAwardLine } from './milestones';
import type { AdjustmentCaps, LedgerPolicy } from './program-rules';
import {
  confirmHold,
  expireHolds,
  placeHold,
  redeemPoints,
  releaseHold,
  type RedemptionAudit,
} from './redemption';
import { reverseStay, type RefundShare } from './reversal';
import type { TopUpResult } from './stay-top-up';
import { PointsTransfer, transferIn, transferOut, type TransferStaff } from './transfer';

/** The outcome of an operation: the account after it, and what to append and publish. */
export interface LedgerChange {
  readonly account: LedgerAccount;
  /** Entries this operation appended, in order; earlier entries are never touched. */
  readonly entries: readonly LedgerEntry[];
  readonly events: readonly LedgerEvent[];
}

/**
 * One guest's points account, as an immutable value: every operation returns a new account plus the new
 * entries and events, or throws a LedgerError and changes nothing. Time is always passed in.
 */
export class LedgerAccount {
  private constructor(private readonly snapshot: AccountSnapshot) {}

  static open(id: string, guestId: string, now: Date): LedgerAccount {
    return new LedgerAccount(openSnapshot(id, guestId, now));
  }

  static restore(snapshot: AccountSnapshot): LedgerAccount {
    return new LedgerAccount(snapshot);
  }

  get id(): string {
    return this.snapshot.id;
  }

  get status(): AccountSnapshot['status'] {
    return this.snapshot.status;
  }

  toSnapshot(): AccountSnapshot {
    return this.snapshot;
  }

  balances(): Balances {
    return balancesOf(this.snapshot);
  }

  hasCreditedStay(stayKey: string): boolean {
    return this.snapshot.entries.some((entry) => entry.type === 'earn' && entry.cause.stayKey === stayKey);
  }

  earn(result: EarnResult, sourceEventId: string, policy: LedgerPolicy, now: Date): LedgerChange {
    return this.change(now, (draft) => creditStay(draft, result, sourceEventId, policy));
  }

  /** Credits revenue added to a credited stay; its points are locked from `postedAt`, when it was posted. */
  topUpStay(
    topUp: TopUpResult,
    sourceEventId: string,
    postedAt: Date,
    policy: LedgerPolicy,
    now: Date,
  ): LedgerChange {
    return this.change(now, (draft) => creditTopUp(draft, topUp, sourceEventId, postedAt, policy));
  }

  /** Pays the milestones a correction of a credited stay's nights crossed, locked from `postedAt`. */
  payCorrectionMilestones(
    stayKey: string,
    milestones: readonly MilestoneAwardLine[],
    sourceEventId: string,
    postedAt: Date,
    policy: LedgerPolicy,
    now: Date,
  ): LedgerChange {
    return this.change(now, (draft) =>
      creditCorrectionMilestones(draft, stayKey, milestones, sourceEventId, postedAt, policy),
    );
  }

  releasePendingLots(now: Date): LedgerChange {
    return this.change(now, (draft) => draft.promoteMaturedLots());
  }

  hold(
    points: number,
    holdId: string,
    ttlMinutes: number,
    now: Date,
    placedBy?: StaffAtProperty,
  ): LedgerChange {
    return this.change(now, (draft) => placeHold(draft, points, holdId, ttlMinutes, placedBy));
  }

  confirmHold(holdId: string, now: Date, redemptionId?: string, audit?: RedemptionAudit): LedgerChange {
    return this.change(now, (draft) => confirmHold(draft, holdId, redemptionId, audit));
  }

  releaseHold(holdId: string, now: Date, releasedBy?: StaffAtProperty): LedgerChange {
    return this.change(now, (draft) => releaseHold(draft, holdId, releasedBy));
  }

  expireHolds(now: Date): LedgerChange {
    return this.change(now, (draft) => expireHolds(draft));
  }

  redeem(points: number, redemptionId: string, now: Date): LedgerChange {
    return this.change(now, (draft) => redeemPoints(draft, points, redemptionId));
  }

  adjust(request: AdjustmentRequest, caps: AdjustmentCaps, policy: LedgerPolicy, now: Date): LedgerChange {
    return this.change(now, (draft) => adjustPoints(draft, request, caps, policy));
  }

  /**
   * Takes back the points of the revenue a refund took off the stay (`share`: that revenue of the stay's
   * remaining revenue), newest revenue first, by the clawback rule (`reverseStay`).
   */
  reverse(stayKey: string, share: RefundShare, sourceEventId: string, now: Date): LedgerChange {
    return this.change(now, (draft) => reverseStay(draft, stayKey, share, sourceEventId));
  }

  expireLots(now: Date, tierId: string, policy: LedgerPolicy): LedgerChange {
    return this.change(now, (draft) => expireLots(draft, tierId, policy));
  }

  expiringSoon(now: Date, days: number, tierId: string, policy: LedgerPolicy): ExpiringPoints[] {
    return expiringSoon(this.snapshot, now, days, tierId, policy);
  }

  transferOut(
    points: number,
    transferId: string,
    toAccountId: string,
    by: TransferStaff,
    now: Date,
  ): LedgerChange & { transfer: PointsTransfer } {
    const { change, value } = this.run(now, (draft) =>
      transferOut(draft, points, transferId, toAccountId, by),
    );
    return { ...change, transfer: value };
  }

  transferIn(transfer: PointsTransfer, now: Date): LedgerChange {
    return this.change(now, (draft) => transferIn(draft, transfer));
  }

  /** Absorbs `source`; `source` in the result is what the merged-away account becomes (closed, empty). */
  mergeFrom(source: LedgerAccount, now: Date): LedgerChange & { source: LedgerAccount } {
    const { change, value } = this.run(now, (draft) => mergeInto(draft, source.snapshot));
    return { ...change, source: new LedgerAccount(value) };
  }

  /** Pays the milestones a merge of `mergedAccountId` into this account settled (`mergeQualifyingYears`). */
  payMergeMilestones(
    mergedAccountId: string,
    milestones: readonly MilestoneAwardLine[],
    policy: LedgerPolicy,
    now: Date,
  ): LedgerChange {
    return this.change(now, (draft) => creditMergeMilestones(draft, mergedAccountId, milestones, policy));
  }

  suspend(reason: string, now: Date): LedgerChange {
    return this.change(now, (draft) => {
      draft.assertNotClosed();
      if (draft.status === 'suspended') return;
      draft.status = 'suspended';
      draft.emit({ type: 'account-status-changed', from: 'active', to: 'suspended', reason });
    });
  }

  reactivate(reason: string, now: Date): LedgerChange {
    return this.change(now, (draft) => {
      draft.assertNotClosed();
      if (draft.status === 'active') return;
      draft.status = 'active';
      draft.emit({ type: 'account-status-changed', from: 'suspended', to: 'active', reason });
    });
  }

  /**
   * Closing needs an empty account: points are never silently forfeited. Nor may stay adjustments be parked
   * to apply to it (`parkedAdjustments`, of its credited stays and of those of the accounts merged into it):
   * a closed account never applies them, so the points they would credit would go with it. Clawback owed
   * stays on record.
   */
  close(reason: string, now: Date, parkedAdjustments: number): LedgerChange {
    return this.change(now, (draft) => {
      if (draft.status === 'closed') return;
      if (parkedAdjustments > 0) throw adjustmentsParked(draft.id, draft.status, parkedAdjustments);
      const total = draft.points('available') + draft.points('pending') + draft.points('held');
      if (total > 0 || draft.holds.some((hold) => hold.state === 'open')) {
        throw new LedgerError(
          LedgerErrorCode.ACCOUNT_NOT_EMPTY,
          `account ${draft.id} still holds ${total} points`,
          { total },
        );
      }
      const from = draft.status;
      draft.status = 'closed';
      draft.emit({ type: 'account-status-changed', from, to: 'closed', reason });
    });
  }

  private change(now: Date, operation: (draft: AccountDraft) => void): LedgerChange {
    return this.run(now, operation).change;
  }

  private run<T>(now: Date, operation: (draft: AccountDraft) => T): { change: LedgerChange; value: T } {
    const draft = new AccountDraft(this.snapshot, now);
    const value = operation(draft);
    return {
      change: { account: new LedgerAccount(draft.commit()), entries: draft.newEntries, events: draft.events },
      value,
    };
  }
}
