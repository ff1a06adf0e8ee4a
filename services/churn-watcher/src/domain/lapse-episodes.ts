import type { ChurnEvidenceDto } from '@loyalty/contracts';
import { dayNumber } from '@loyalty/lifetime';

/**
 * Whether a stay departing on `departureDay` ends a lapse: only a stay after the last departure the
 * alert was based on does. An older stay recorded late (a back-fill) or a scan-day comparison would
 * close an alert for a guest who never came back, and the next scan would alert again.
 */
export function endsLapse(
  episode: { readonly evidence: ChurnEvidenceDto; readonly openedAt: Date },
  departureDay: number,
): boolean {
  const { lastDeparture, daysSinceLastStay } = episode.evidence;
  // Every alert this service raises names its last departure; the days since it say the same.
  const lastDay =
    lastDeparture !== undefined ? dayNumber(lastDeparture) : dayNumber(episode.openedAt) - daysSinceLastStay;
  return departureDay > lastDay;
}
