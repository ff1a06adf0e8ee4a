/**
 * The nights a `stay-adjusted` (v2) posts for a stay, which it names by property and reservation. They are
 * the stay's nights after the adjustment, not a change: the latest posted stands, whatever order the
 * adjustments arrive in.
 */
export interface NightsPosting {
  readonly propertyId: string;
  readonly reservationId: string;
  /** `propertyId/adjustmentId`: adjustment ids are the property system's own, unique only within it. */
  readonly adjustmentKey: string;
  readonly nights: number;
  /** When the adjustment was posted (an ISO instant). */
  readonly adjustedAt: string;
}

/** What an adjustment does to its stay's invitation. */
export type InvitationAdjustment = 'withdraw' | 'restore';

/** An invitation as an adjustment finds it. */
export interface AdjustedInvitation {
  readonly state: string;
  readonly skipReason: string | null;
  readonly dueAt: Date;
}

/** A stay by what adjustments name it by. */
export function stayKeyOf(stay: { readonly propertyId: string; readonly reservationId: string }): string {
  return `${stay.propertyId}\0${stay.reservationId}`;
}

/**
 * Whether `posting` was posted after `other`, so its nights replace the other's. Two posted at the same
 * instant are ordered by adjustment key in code-unit order (upstream ids are ASCII, so as the store's
 * `collate "C"` orders them), so the outcome does not depend on which arrived first.
 */
export function postedAfter(posting: NightsPosting, other: NightsPosting): boolean {
  const [at, otherAt] = [Date.parse(posting.adjustedAt), Date.parse(other.adjustedAt)];
  if (at !== otherAt) return at > otherAt;
  return posting.adjustmentKey > other.adjustmentKey;
}

/** Of a run of postings, the latest posted for each stay. */
export function latestNightsPerStay<P extends NightsPosting>(postings: readonly P[]): P[] {
  const latest = new Map<string, P>();
  for (const posting of postings) {
    const stay = stayKeyOf(posting);
    const kept = latest.get(stay);
    if (!kept || postedAfter(posting, kept)) latest.set(stay, posting);
  }
  return [...latest.values()];
}

/**
 * What the stay's latest nights do to its invitation at `now`. At 0 nights, one not sent yet is withdrawn
 * (the guest did not stay); one sent is left, its link answerable as sent. Given nights again, one withdrawn
 * so is invited after all while it is not due yet; once due, it stays withdrawn rather than go out late.
 */
export function invitationAdjustment(
  invitation: AdjustedInvitation,
  nights: number,
  now: Date,
): InvitationAdjustment | null {
  if (nights === 0) return invitation.state === 'scheduled' ? 'withdraw' : null;
  const withdrawn = invitation.state === 'skipped' && invitation.skipReason === 'adjusted-to-zero-nights';
  return withdrawn && invitation.dueAt.getTime() > now.getTime() ? 'restore' : null;
}
