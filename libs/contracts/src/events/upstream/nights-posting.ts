import type { StayAdjustedV1 } from './stay-adjusted.v1';
import type { StayAdjustedV2 } from './stay-adjusted.v2';

/**
 * The nights a `stay-adjusted` (v2) posts for a stay, which it names by property and reservation. They are
 * the stay's nights after the adjustment, not a change: the latest posted stands, whatever order the
 * adjustments arrive in, for every service that reads them.
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

/** The nights an adjustment posts; none from one that leaves them as they were (and from v1). */
export function nightsPostingOf(data: StayAdjustedV1 | StayAdjustedV2): NightsPosting | undefined {
  const nights = 'nights' in data ? data.nights : undefined;
  if (nights === undefined) return undefined;
  const { propertyId, reservationId, adjustmentId, adjustedAt } = data;
  return { propertyId, reservationId, adjustmentKey: `${propertyId}/${adjustmentId}`, nights, adjustedAt };
}

/**
 * Whether `posting` was posted after `other`, so its nights replace the other's. Two posted at the same
 * instant are ordered by adjustment key in code-unit order (upstream ids are ASCII, so as a store's
 * `collate "C"` orders them), so the outcome does not depend on which arrived first. Instants are
 * compared to the microsecond, as the stores' `timestamptz` keeps them: to the millisecond, two postings
 * apart by less were ordered by key here and by time in the store, as they came in one batch or two.
 */
export function postedAfter(
  posting: Pick<NightsPosting, 'adjustedAt' | 'adjustmentKey'>,
  other: Pick<NightsPosting, 'adjustedAt' | 'adjustmentKey'>,
): boolean {
  const [at, otherAt] = [microsecondsOf(posting.adjustedAt), microsecondsOf(other.adjustedAt)];
  if (at !== otherAt) return at > otherAt;
  return posting.adjustmentKey > other.adjustmentKey;
}

/** An ISO instant in microseconds since the epoch, its fraction rounded to the microsecond as Postgres does. */
function microsecondsOf(instant: string): number {
  const fraction = /\.(\d+)/.exec(instant)?.[1] ?? '';
  const seconds = Date.parse(fraction ? instant.replace(`.${fraction}`, '') : instant);
  return seconds * 1_000 + Math.round(Number(fraction.padEnd(9, '0').slice(0, 9)) / 1_000);
}

/** Of a run of postings, the latest posted for each stay, in the order the stays first come. */
export function latestNightsPerStay<P extends NightsPosting>(postings: readonly P[]): P[] {
  const latest = new Map<string, P>();
  for (const posting of postings) {
    const stay = `${posting.propertyId}\0${posting.reservationId}`;
    const kept = latest.get(stay);
    if (!kept || postedAfter(posting, kept)) latest.set(stay, posting);
  }
  return [...latest.values()];
}
