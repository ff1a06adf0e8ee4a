/**
 * The nights a `stay-adjusted` (v2) posts for a stay, which it names by property and reservation. They are
 * the stay's nights after the adjustment, not a change: the latest posted stands, whatever order the
 * adjustments arrive in. A stay whose nights became 0 (a no-show charged, a night moved to another
 * reservation) is no visit; an adjustment posted later that gives it nights again makes it one again.
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

/**
 * Whether `posting` was posted after `other`, so its nights replace the other's. Two posted at the same
 * instant are ordered by adjustment key (upstream ids are ASCII, so code-unit order is the store's byte
 * order), so the outcome does not depend on which arrived first.
 */
export function postedAfter(posting: NightsPosting, other: NightsPosting): boolean {
  const [at, otherAt] = [Date.parse(posting.adjustedAt), Date.parse(other.adjustedAt)];
  if (at !== otherAt) return at > otherAt;
  return posting.adjustmentKey > other.adjustmentKey;
}

/** A stay by what adjustments name it by, as its events are keyed: upstream ids hold no ':'. */
export function stayKeyOf(stay: { readonly propertyId: string; readonly reservationId: string }): string {
  return `${stay.propertyId}:${stay.reservationId}`;
}

/** Of a run of postings, the latest posted for each stay, in the order the stays first come. */
export function latestNightsPerStay<P extends NightsPosting>(postings: readonly P[]): P[] {
  const latest = new Map<string, P>();
  for (const posting of postings) {
    const stay = stayKeyOf(posting);
    const kept = latest.get(stay);
    if (!kept || postedAfter(posting, kept)) latest.set(stay, posting);
  }
  return [...latest.values()];
}
