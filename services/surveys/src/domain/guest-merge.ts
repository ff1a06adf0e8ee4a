import type { GuestContact } from './eligibility';

/** What surveys keeps of a guest to decide whether and how to invite them. */
export interface GuestFacts extends Omit<GuestContact, 'erased'> {
  preferredLanguage?: string;
  /**
   * As of when the consent holds: the instant of the news it came from (an update's `updatedAt`, a
   * registration's `enrolledAt`), the later of the two a merge folded. News of consent older than that,
   * handled late, can only refuse (`GuestDirectory.remember`). None for a consent kept before surveys kept
   * instants.
   */
  surveysConsentAsOf?: Date;
}

/**
 * The survivor of a merge with what is known of the guest merged into it: at the merge, and again for
 * profiles' news of the merged id, or the survivor's registration, handled after it (merges come keyed by
 * the survivor, on another topic).
 * Both ids are one person: a refusal of surveys from either holds, as of the later of the two consents'
 * instants (news of consent older than that, handled after the merge, can only refuse), a channel either
 * has counts, the survivor's language is kept unless it has none, the later invitation bounds the
 * recontact window, and the guest is heard of once profiles announced either id.
 */
export function foldMergedGuest(survivor: GuestFacts, merged: Partial<GuestFacts>): GuestFacts {
  const refused = survivor.surveysConsent === false || merged.surveysConsent === false;
  return {
    preferredLanguage: survivor.preferredLanguage ?? merged.preferredLanguage,
    surveysConsent: refused ? false : (survivor.surveysConsent ?? merged.surveysConsent),
    surveysConsentAsOf: later(survivor.surveysConsentAsOf, merged.surveysConsentAsOf),
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

/**
 * The guest each id stands for now: the one its chain of merges ends at, given each known guest's own
 * merge (`mergedInto`, null when not merged away). An id stands for itself when it is not merged away, not
 * known, or when its chain never ends (a cycle of merges, or a link to a guest not known).
 */
export function finalSurvivors(
  guestIds: readonly string[],
  mergedInto: ReadonlyMap<string, string | null>,
): Map<string, string> {
  return new Map(guestIds.map((guestId) => [guestId, chainEnd(guestId, mergedInto) ?? guestId]));
}

function chainEnd(guestId: string, mergedInto: ReadonlyMap<string, string | null>): string | undefined {
  const passed = new Set<string>();
  for (let current = guestId; mergedInto.has(current) && !passed.has(current);) {
    const next = mergedInto.get(current) ?? null;
    if (next === null) return current;
    passed.add(current);
    current = next;
  }
  return undefined;
}

/**
 * The guest a skipped invitation of `guestId` is kept under, given the guest it stands for now (its final
 * survivor, if surveys keeps a row of them): the one it was decided for, as a sent one is (the survivor when
 * `guestId` was merged away), none once that guest was erased, as an erasure leaves its invitations, and
 * `guestId` itself while the guest is not known.
 */
export function skippedUnder(
  guestId: string,
  standingFor: { guestId: string; erased: boolean } | undefined,
): string | null {
  if (!standingFor) return guestId;
  return standingFor.erased ? null : standingFor.guestId;
}
