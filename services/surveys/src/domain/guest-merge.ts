import type { GuestContact } from './eligibility';

/** What surveys keeps of a guest to decide whether and how to invite them. */
export interface GuestFacts extends Omit<GuestContact, 'erased'> {
  preferredLanguage?: string;
}

/**
 * The survivor of a merge with what is known of the guest merged into it: at the merge, and again for
 * profiles' news of the merged id, or the survivor's registration, handled after it (merges come keyed by
 * the survivor, on another topic).
 * Both ids are one person: a refusal of surveys from either holds, a channel either has counts, the
 * survivor's language is kept unless it has none, the later invitation bounds the recontact window, and
 * the guest is heard of once profiles announced either id.
 */
export function foldMergedGuest(survivor: GuestFacts, merged: Partial<GuestFacts>): GuestFacts {
  const refused = survivor.surveysConsent === false || merged.surveysConsent === false;
  return {
    preferredLanguage: survivor.preferredLanguage ?? merged.preferredLanguage,
    surveysConsent: refused ? false : (survivor.surveysConsent ?? merged.surveysConsent),
    emailOnFile: survivor.emailOnFile || merged.emailOnFile === true,
    phoneOnFile: survivor.phoneOnFile || merged.phoneOnFile === true,
    lastInvitedAt: later(survivor.lastInvitedAt, merged.lastInvitedAt),
    heardOf: survivor.heardOf || merged.heardOf === true,
  };
}

function later(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a || !b) return a ?? b;
  return a.getTime() >= b.getTime() ? a : b;
}
