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
