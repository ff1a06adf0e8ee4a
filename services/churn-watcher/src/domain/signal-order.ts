import type { Instant } from './instant';

/**
 * Surveys and tier changes can be handled out of order (a redelivery, a merged profile's history), so the
 * newest by the event's own time decides, not the last handled.
 */

/**
 * Whether a survey answer at `at` is the guest's newest so far, and so says whether they are a detractor:
 * an older answer handled later is ignored. One at the very instant of the newest replaces it.
 */
export function isNewestAnswer(at: Instant, newestHandled: Instant | null): boolean {
  return newestHandled === null || at >= newestHandled;
}

/**
 * Whether a tier downgrade at `at` still counts after the guest's newest upgrade: a later move back up
 * clears it. An upgrade at the very instant of a downgrade is taken as the later, the guest's tier
 * as it stands.
 */
export function downgradeStands(at: Instant, newestUpgrade: Instant | null): boolean {
  return newestUpgrade === null || at > newestUpgrade;
}
