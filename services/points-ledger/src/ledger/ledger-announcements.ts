import type { EventData, EventType } from '@loyalty/contracts';
import type { LedgerChange, TierChange } from '../domain';
import { transactionIdOf } from './entry-ids';

/** Puts one event in the outbox of the current transaction (a consumer's ctx.publish or an EventPublisher). */
export type Publish = <T extends EventType>(type: T, data: EventData<T>) => void | Promise<void>;

/** Puts one event in the outbox of the current transaction and returns: a consumer's ctx.publish. */
export type PublishNow = <T extends EventType>(type: T, data: EventData<T>) => void;

/** One public event an operation gives rise to. */
export type Announcement = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];

/** What the domain does not know but the public events name. */
export interface AnnouncementContext {
  readonly guestId: string;
  readonly stay?: { readonly stayId: string; readonly propertyId: string };
  readonly reward?: EventData<'points-redeemed'>['reward'];
  readonly propertyId?: string;
  /** Who made a transfer between members. */
  readonly staffId?: string;
}

/**
 * Turns what an operation did into the public events. Balances are the guest's total (available + pending
 * + held = the sum of the entries) after the whole operation. A transfer is a `points-adjusted` on each
 * side, naming the transfer and the other member (the account id is the guest id). A merge that brings
 * points is a `points-adjusted` on the survivor, by the system, so that whoever keeps the balance learns
 * the survivor's new one; it names no transfer, since it has no sender's side; the milestones it settles
 * are a `points-earned` naming the milestone (`milestoneSourceOf`). Holds and releases, which leave
 * the balance as it is, have no public contract. Clawback settled by an operation that announces nothing
 * else (a merge bringing no points, a hold released or expired) is a `points-adjusted` by the system, so
 * that whoever keeps the balance from these events learns it went down; settled along with an announced
 * entry, that entry's `balanceAfter` says so already. A reversal that debited nothing (all of it became
 * clawback) publishes nothing, as `pointsDelta` cannot be zero.
 */
export function announcementsOf(change: LedgerChange, context: AnnouncementContext): Announcement[] {
  const announcements: Announcement[] = [];
  const balanceAfter = change.account.balances().total;
  const occurredAt = (change.entries[0]?.occurredAt ?? new Date()).toISOString();
  // The sequence of the account's last entry: the order of its balances, where two can share an instant.
  const balanceSequence = change.account.toSnapshot().nextSequence - 1;
  const base = { guestId: context.guestId, balanceAfter, occurredAt, balanceSequence };
  const settlements: { entryId: string; points: number }[] = [];
  for (const event of change.events) {
    switch (event.type) {
      case 'points-earned': {
        if (event.points <= 0) break;
        announcements.push({
          type: 'points-earned',
          data: {
            ...base,
            transactionId: transactionIdOf(event.entryId),
            points: event.points,
            source:
              event.stayKey === undefined
                ? milestoneSourceOf(change, event.entryId)
                : {
                    kind: 'stay',
                    reference: context.stay?.stayId ?? event.stayKey,
                    ...(context.stay ? { propertyId: context.stay.propertyId } : {}),
                  },
            ...(event.expiresAt ? { expiresAt: event.expiresAt.toISOString() } : {}),
          },
        });
        break;
      }
      case 'points-adjusted':
        announcements.push({
          type: 'points-adjusted',
          data: {
            ...base,
            transactionId: transactionIdOf(event.entryId),
            pointsDelta: event.points,
            reason: event.reason,
            adjustedBy: event.staffId,
          },
        });
        break;
      case 'points-reversed': {
        if (event.debited === 0) break;
        const entry = change.entries.find((candidate) => candidate.id === event.entryId);
        announcements.push({
          type: 'points-reversed',
          data: {
            ...base,
            transactionId: transactionIdOf(event.entryId),
            reversedTransactionId: transactionIdOf(entry?.cause.earnEntryId ?? event.entryId),
            pointsDelta: -event.debited,
            reason: entry?.cause.kind === 'duplicate-credit' ? 'guest-merged' : 'stay-adjusted',
          },
        });
        break;
      }
      case 'points-redeemed':
        announcements.push({
          type: 'points-redeemed',
          data: {
            ...base,
            transactionId: transactionIdOf(event.entryId),
            points: event.points,
            reward: rewardOf(context),
            ...(context.propertyId ? { propertyId: context.propertyId } : {}),
          },
        });
        break;
      case 'points-transferred-out':
      case 'points-transferred-in': {
        const out = event.type === 'points-transferred-out';
        announcements.push({
          type: 'points-adjusted',
          data: {
            ...base,
            transactionId: transactionIdOf(event.entryId),
            pointsDelta: out ? -event.points : event.points,
            reason: out ? 'Transfer to another member' : 'Transfer from another member',
            adjustedBy: context.staffId ?? 'unknown',
            transfer: {
              transferId: event.transferId,
              counterpartyGuestId: out ? event.toAccountId : event.fromAccountId,
            },
          },
        });
        break;
      }
      case 'accounts-merged':
        if (event.points <= 0) break;
        announcements.push({
          type: 'points-adjusted',
          data: {
            ...base,
            transactionId: transactionIdOf(event.entryId),
            pointsDelta: event.points,
            reason: 'Merged from another profile',
            adjustedBy: 'system',
          },
        });
        break;
      case 'clawback-settled':
        settlements.push(event);
        break;
      case 'points-expired':
        announcements.push({
          type: 'points-expired',
          data: {
            ...base,
            transactionId: transactionIdOf(event.entryId),
            points: event.points,
            reason: event.reason === 'lot' ? 'lot-expired' : 'inactivity',
          },
        });
        break;
      default:
        break;
    }
  }
  const settled = settlements.reduce((sum, settlement) => sum + settlement.points, 0);
  if (announcements.length === 0 && settled > 0) {
    announcements.push({
      type: 'points-adjusted',
      data: {
        ...base,
        transactionId: transactionIdOf(settlements[0].entryId),
        pointsDelta: -settled,
        reason: 'Points owed from an earlier refund settled',
        adjustedBy: 'system',
      },
    });
  }
  return announcements;
}

/**
 * What earned the milestones a merge settled: no stay did, the combined counts of two accounts did. The
 * contract has no kind of source for a milestone, so it is named as the program's bonus it is
 * (`promotion`), by the milestone's id.
 */
function milestoneSourceOf(change: LedgerChange, entryId: string): EventData<'points-earned'>['source'] {
  const milestone = change.entries.find((entry) => entry.id === entryId)?.earn?.milestones[0];
  if (!milestone) throw new Error(`earn entry ${entryId} names neither a stay nor a milestone`);
  return { kind: 'promotion', reference: milestone.id };
}

/**
 * The reward a redemption bought, as the staff member confirming it named it. The ledger does not know
 * rewards, so it has none to offer in its place: announcing a redemption without one is a defect.
 */
function rewardOf(context: AnnouncementContext): EventData<'points-redeemed'>['reward'] {
  if (!context.reward)
    throw new Error(`a redemption of guest ${context.guestId} was announced without its reward`);
  return context.reward;
}

/** Publishes what an operation did (`announcementsOf`), in order. */
export async function announce(
  publish: Publish,
  change: LedgerChange,
  context: AnnouncementContext,
): Promise<void> {
  for (const { type, data } of announcementsOf(change, context)) await publish(type, data);
}

const TIER_REASONS = {
  qualified: 'qualified',
  requalified: 'qualified',
  'year-end-downgrade': 'requalification-missed',
  override: 'manual',
  merged: 'guest-merged',
} as const;

/** `tier-changed` for a move to another tier; none for an extension of the same tier. */
export function tierAnnouncement(guestId: string, change: TierChange | null): Announcement | undefined {
  if (!change || change.from === change.to) return undefined;
  return {
    type: 'tier-changed',
    data: {
      guestId,
      from: change.from as EventData<'tier-changed'>['from'],
      to: change.to as EventData<'tier-changed'>['to'],
      reason: TIER_REASONS[change.reason],
      ...(change.validUntil ? { validUntil: change.validUntil.toISOString() } : {}),
      changedAt: change.at.toISOString(),
    },
  };
}

/** Publishes `tier-changed` for a move to another tier (`tierAnnouncement`). */
export async function announceTier(
  publish: Publish,
  guestId: string,
  change: TierChange | null,
): Promise<void> {
  const announcement = tierAnnouncement(guestId, change);
  if (announcement) await publish(announcement.type, announcement.data);
}
