import { addDays, localDateOf, localTimeToUtc } from '@loyalty/time';

/** When a property's invitations go out: some days after check-out, at a daytime hour, local time. */
export interface SendPolicy {
  delayDays: number;
  sendHour: number;
}

/** Hours a property may choose to send at; outside them guests would be contacted at night. */
export const SEND_HOURS = { earliest: 8, latest: 20 } as const;

/**
 * The instant an invitation is due: the local check-out date plus `delayDays`, at `sendHour` in the
 * property's time zone. A stay back-filled long after check-out is due at once (the instant is past).
 */
export function invitationDueAt(checkedOutAt: Date, timeZone: string, policy: SendPolicy): Date {
  const day = addDays(localDateOf(checkedOutAt, timeZone), policy.delayDays);
  return localTimeToUtc(day, policy.sendHour, 0, timeZone);
}
