import type { ChurnEvidenceDto } from '@loyalty/contracts';
import { dayNumber } from '@loyalty/lifetime';

type AlertedLapse = { readonly evidence: ChurnEvidenceDto; readonly openedAt: Date };

/** The last departure the alert was based on. */
function lastDepartureDay({ evidence, openedAt }: AlertedLapse): number {
  // Every alert this service raises names its last departure; the days since it say the same.
  return evidence.lastDeparture !== undefined
    ? dayNumber(evidence.lastDeparture)
    : dayNumber(openedAt) - evidence.daysSinceLastStay;
}

/**
 * Whether a stay departing on `departureDay` ends a lapse: only a stay after the last departure the
 * alert was based on does. An older stay recorded late (a back-fill) or a scan-day comparison would
 * close an alert for a guest who never came back, and the next scan would alert again.
 */
export function endsLapse(episode: AlertedLapse, departureDay: number): boolean {
  return departureDay > lastDepartureDay(episode);
}

/**
 * The guest's first return from the lapse: of `stays`, the earliest departing of those that end it,
 * whatever order they come in (a run of stays, the history a merged profile brings); of two departing on
 * that day, the first given. The restore names it: a later stay is not when the guest came back.
 */
export function firstReturn<S extends { readonly departure: string }>(
  episode: AlertedLapse,
  stays: readonly S[],
): S | undefined {
  let first: { stay: S; day: number } | undefined;
  for (const stay of stays) {
    const day = dayNumber(stay.departure);
    if (endsLapse(episode, day) && (first === undefined || day < first.day)) first = { stay, day };
  }
  return first?.stay;
}

/**
 * Of the survivor's and the merged guest's open episodes, the one the survivor keeps open: the one since
 * the later last departure (the survivor's on a tie), the absence the combined stays show. The other is
 * superseded by it: restoring it on the combined stays would announce the return of a guest still away.
 */
export function lapseKeptByMerge<T extends AlertedLapse>(
  survivors: T | undefined,
  merged: T | undefined,
): T | undefined {
  if (!survivors || !merged) return survivors ?? merged;
  return lastDepartureDay(merged) > lastDepartureDay(survivors) ? merged : survivors;
}
