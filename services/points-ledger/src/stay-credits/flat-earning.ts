/**
 * The walking skeleton's earning rule: a flat number of points per recorded stay. It proves the event
 * backbone end to end; the programme's real earning rules (revenue, brand rates, tier bonus,
 * promotions) replace it with the ledger's domain model.
 */
export const FLAT_POINTS_PER_STAY = 100;

export interface StayCredit {
  stayId: string;
  guestId: string;
  points: number;
}

/** Running balances per guest for credits applied in order on top of each guest's final balance. */
export function balancesAfterEachCredit(credits: StayCredit[], finalBalances: Map<string, number>): number[] {
  const remaining = new Map(finalBalances);
  const result = new Array<number>(credits.length);
  for (let i = credits.length - 1; i >= 0; i--) {
    const { guestId, points } = credits[i];
    const balance = remaining.get(guestId) ?? 0;
    result[i] = balance;
    remaining.set(guestId, balance - points);
  }
  return result;
}
