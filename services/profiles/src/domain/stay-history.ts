// Roll-ups of a guest's stay history for the single customer view.

export interface StayForHistory {
  propertyId: string;
  arrival: string;
  departure: string;
  nights: number;
  programRevenueMinor: number;
}

export interface StayHistory {
  /** Visits: a stay corrected to 0 nights (a no-show billed, a stay moved to another reservation) is none. */
  stays: number;
  nights: number;
  revenueMinor: number;
  firstStay?: string;
  lastStay?: string;
  /** Mean days between consecutive arrivals; undefined with fewer than two stays. */
  averageIntervalDays?: number;
  /** The property with the most nights (then the most recent). */
  favouriteProperty?: string;
}

const DAY_MS = 86_400_000;

/** What the guest paid counts whatever the nights; only visits count as stays, dates and the favourite. */
export function summariseStays(stays: readonly StayForHistory[]): StayHistory {
  const sorted = stays.filter((s) => s.nights > 0).sort((a, b) => a.arrival.localeCompare(b.arrival));
  const nightsByProperty = new Map<string, { nights: number; last: string }>();
  for (const s of sorted) {
    const entry = nightsByProperty.get(s.propertyId) ?? { nights: 0, last: s.arrival };
    nightsByProperty.set(s.propertyId, { nights: entry.nights + s.nights, last: s.arrival });
  }
  const favourite = [...nightsByProperty.entries()].sort(
    (a, b) => b[1].nights - a[1].nights || b[1].last.localeCompare(a[1].last),
  )[0];
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  return {
    stays: sorted.length,
    nights: sorted.reduce((sum, s) => sum + s.nights, 0),
    revenueMinor: stays.reduce((sum, s) => sum + s.programRevenueMinor, 0),
    firstStay: first?.arrival,
    // The latest departure: a longer stay arriving earlier can end after the last one to arrive.
    lastStay: sorted.reduce<string | undefined>(
      (latest, s) => (latest && latest > s.departure ? latest : s.departure),
      undefined,
    ),
    averageIntervalDays:
      sorted.length > 1
        ? Math.round(
            ((Date.parse(last.arrival) - Date.parse(first.arrival)) / DAY_MS / (sorted.length - 1)) * 10,
          ) / 10
        : undefined,
    favouriteProperty: favourite?.[0],
  };
}
