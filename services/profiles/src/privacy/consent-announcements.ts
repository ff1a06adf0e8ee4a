import type { EntityManager } from 'typeorm';
import type { EventData } from '@loyalty/contracts';

/** Consent purposes other services act on, and the attribute of `guest-updated` that announces each. */
const ANNOUNCED_CONSENTS = {
  marketing: 'marketingConsent',
  surveys: 'surveysConsent',
  // Other services profile the guest too (the churn watch's lifetime model): an objection reaches them.
  profiling: 'profilingConsent',
} as const;

export type AnnouncedPurpose = keyof typeof ANNOUNCED_CONSENTS;

export const isAnnouncedPurpose = (purpose: string): purpose is AnnouncedPurpose =>
  Object.hasOwn(ANNOUNCED_CONSENTS, purpose);

/** A guest's consent to a purpose as `guest-updated` announces it, and when they last decided on it. */
export interface StandingConsent {
  guestId: string;
  granted: boolean;
  decidedAt: Date;
}

/**
 * Each guest's consent to `purpose` as it stands, in guest id order; none for a guest who never decided on it.
 * The event carries one flag per purpose and its consumers pick the channel themselves (surveys writes to the
 * email on file), so consent withdrawn on any channel withdraws it: a guest who refused email but accepted
 * post must not be written to by email.
 */
export async function standingConsents(
  manager: EntityManager,
  purpose: AnnouncedPurpose,
  guestIds: readonly string[],
): Promise<StandingConsent[]> {
  const rows: { guest_id: string; granted: boolean; decided_at: Date }[] = await manager.query(
    `select guest_id, bool_and(granted) as granted, max(recorded_at) as decided_at from (
       select distinct on (guest_id, channel) guest_id, granted, recorded_at from guest_consents
       where guest_id = any($1::uuid[]) and purpose = $2 order by guest_id, channel, id desc) latest
     group by guest_id order by guest_id`,
    [guestIds, purpose],
  );
  return rows.map((row) => ({ guestId: row.guest_id, granted: row.granted, decidedAt: row.decided_at }));
}

/**
 * The `guest-updated` events announcing these consents to `purpose`, keyed by guest, each as of `at`: by
 * default the instant the guest decided.
 */
export function consentUpdates(
  purpose: AnnouncedPurpose,
  consents: readonly StandingConsent[],
  at?: Date,
): { data: EventData<'guest-updated'>; options: { subject: string } }[] {
  return consents.map(({ guestId, granted, decidedAt }) => ({
    data: {
      guestId,
      changes: { [ANNOUNCED_CONSENTS[purpose]]: granted },
      updatedAt: (at ?? decidedAt).toISOString(),
    },
    options: { subject: guestId },
  }));
}
