import type { GuestAttributesDto } from '@loyalty/contracts';
import { instantOf, type Instant } from './instant';

/**
 * Whether the guest allows the watch to profile them (score them with the lifetime model, fit it on them),
 * as of the instant of profiles' news it comes from. A guest profiles never said anything of allows it.
 */
export interface ProfilingConsent {
  readonly granted: boolean;
  readonly asOf: Instant;
}

/** Profiles' news of a guest's consent to profiling, under the guest it now belongs to. */
export interface ProfilingConsentNews extends ProfilingConsent {
  readonly guestId: string;
  /** The id the news named: another than `guestId` when that id has since been merged into the guest. */
  readonly namedId: string;
}

/**
 * The news of consent to profiling that attributes of the guest carry (none when they say nothing of it),
 * as of `at`: a `guest-updated`'s `updatedAt`, a `guest-registered`'s `enrolledAt`.
 */
export function profilingConsentNews(
  guestId: string,
  attributes: Pick<GuestAttributesDto, 'profilingConsent'>,
  at: string,
): ProfilingConsentNews[] {
  const granted = attributes.profilingConsent;
  return granted === undefined ? [] : [{ guestId, namedId: guestId, granted, asOf: instantOf(at) }];
}

/**
 * The consent a merge leaves the survivor: both ids are one person, so an objection of either holds, as of
 * the later of the two instants (news older than either, handled after the merge, does not undo it).
 */
export function foldMergedConsents(
  survivor: ProfilingConsent | undefined,
  merged: ProfilingConsent | undefined,
): ProfilingConsent | undefined {
  if (!survivor || !merged) return survivor ?? merged;
  return {
    granted: survivor.granted && merged.granted,
    asOf: survivor.asOf > merged.asOf ? survivor.asOf : merged.asOf,
  };
}

/**
 * The guests' consents after profiles' news of them, applied in the order given (of one guest's news in
 * a batch, each sees the ones before it); returns those of the guests the news is of. News can be handled
 * long after newer news (a dead letter replayed, a merge handled before the survivor's older update on
 * another topic), so:
 * - consent given again replaces what is held only when it is not older than it: an older consent handled
 *   late leaves a newer objection standing;
 * - an objection always holds, as of the later instant: what is held may be an objection of an id merged
 *   into the guest, or the merged guest's newer consent that must not undo the survivor's own objection.
 *   An objection replayed after a newer consent leaves the guest out until profiles' next news of it: the
 *   watch errs on not profiling;
 * - news of an id merged into the guest is folded in as the merge folds the two.
 */
export function consentsAfterNews(
  held: ReadonlyMap<string, ProfilingConsent>,
  news: readonly ProfilingConsentNews[],
): Map<string, ProfilingConsent> {
  const consents = new Map<string, ProfilingConsent>();
  for (const { guestId, namedId, granted, asOf } of news) {
    const before = consents.get(guestId) ?? held.get(guestId);
    const heard = { granted, asOf };
    const replaces = granted && namedId === guestId && (before === undefined || asOf >= before.asOf);
    consents.set(guestId, replaces ? heard : (foldMergedConsents(before, heard) as ProfilingConsent));
  }
  return consents;
}

/** Whether the guest objects to profiling: the watch neither scores them nor fits its model on them. */
export function objectsToProfiling(consent: ProfilingConsent | undefined): boolean {
  return consent?.granted === false;
}
