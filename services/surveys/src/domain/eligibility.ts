import { createHash } from 'node:crypto';

/** Why a stay gets no invitation; recorded on the invitation so every skip can be explained. */
export type SkipReason =
  | 'excluded-rate-plan'
  | 'zero-nights'
  | 'not-sampled'
  | 'adjusted-to-zero-nights'
  | 'too-late'
  | 'erased'
  | 'no-consent'
  | 'no-channel'
  | 'unknown-guest'
  | 'recently-surveyed';

export type InvitationChannel = 'email' | 'sms';

export interface StayFacts {
  stayId: string;
  ratePlan: string;
  nights: number;
  /** ISO-8601 instant. */
  checkedOutAt: string;
  /** The nights the latest posted `stay-adjusted` left the stay with, when one posted any. */
  adjustedNights?: number;
}

export interface StayPolicy {
  /** Rate plans of complimentary and staff stays, upper case. */
  excludedRatePlans: ReadonlySet<string>;
  /** Share of eligible stays invited, 0 to 100. */
  samplingPercent: number;
  /** Stays checked out before this instant are not surveyed (a back-fill long after the stay); null: all are. */
  checkedOutSince: Date | null;
}

/** What surveys knows of a guest from profiles' events (no addresses, only whether there are any). */
export interface GuestContact {
  erased: boolean;
  /**
   * Profiles has announced the guest (`guest-registered` or `guest-updated`, of this id or of one merged
   * into it). A row that merges or erasures alone created says nothing of the guest's channels.
   */
  heardOf: boolean;
  surveysConsent?: boolean;
  emailOnFile: boolean;
  phoneOnFile: boolean;
  lastInvitedAt?: Date;
}

/** Rules decided when the stay arrives: they depend on the stay alone. */
export function stayExclusion(stay: StayFacts, policy: StayPolicy): SkipReason | null {
  if (policy.excludedRatePlans.has(stay.ratePlan.toUpperCase())) return 'excluded-rate-plan';
  if (stay.nights < 1) return 'zero-nights';
  // A guest asked about a stay long past remembers little of it, and the answer would count on today.
  if (policy.checkedOutSince && Date.parse(stay.checkedOutAt) < policy.checkedOutSince.getTime())
    return 'too-late';
  if (!isSampled(stay.stayId, policy.samplingPercent)) return 'not-sampled';
  // Last, so only a stay that would be invited is withdrawn: given nights again, it is invited after all.
  return stay.adjustedNights === 0 ? 'adjusted-to-zero-nights' : null;
}

/**
 * Rules decided when the invitation is due, with what is known of the guest then: an erasure, a
 * withdrawn consent or an invitation for another stay in the meantime all count. A guest still unknown
 * is only decided on once the wait for them is over (`awaitGuestsOfInvitationsWaitingSince`).
 */
export function contactExclusion(
  guest: GuestContact | undefined,
  now: Date,
  recontactDays: number,
): SkipReason | null {
  if (guest?.erased) return 'erased';
  if (guest?.surveysConsent === false) return 'no-consent';
  if (!guest?.heardOf) return 'unknown-guest';
  if (channelFor(guest) === null) return 'no-channel';
  const windowStart = now.getTime() - recontactDays * 86_400_000;
  if (guest.lastInvitedAt && guest.lastInvitedAt.getTime() > windowStart) return 'recently-surveyed';
  return null;
}

/**
 * Profiles announces a guest and their stays on different topics, so a stay can be handled before its
 * guest is, and a back-filled stay's invitation is due at once. An invitation waits for its guest from
 * when it fell due or, planned later than that (back-filled), from when it was planned: one that began
 * waiting after the instant returned, for a guest surveys has not heard of yet, waits for the guest
 * rather than being skipped.
 */
export function awaitGuestsOfInvitationsWaitingSince(now: Date, graceHours: number): Date {
  return new Date(now.getTime() - graceHours * 3_600_000);
}

/** Email when profiles holds an address, else SMS. */
export function channelFor(guest: GuestContact): InvitationChannel | null {
  if (guest.emailOnFile) return 'email';
  return guest.phoneOnFile ? 'sms' : null;
}

/** A stable draw per stay, so a redelivered stay is sampled the same way. */
export function isSampled(stayId: string, samplingPercent: number): boolean {
  if (samplingPercent >= 100) return true;
  const draw = createHash('sha256').update(stayId).digest().readUInt32BE(0) % 10_000;
  return draw < samplingPercent * 100;
}
