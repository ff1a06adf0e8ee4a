// Recency-frequency-monetary quintiles and the customer pyramid (Zeithaml, Rust and Lemon).

export interface GuestActivity {
  guestId: string;
  /** Days since the last stay. */
  recencyDays: number;
  stays: number;
  /** Revenue in the programme currency, minor units. */
  revenueMinor: number;
}

export type PyramidSegment = 'vip' | 'major' | 'ordinary' | 'small';

export interface PyramidShares {
  vip: number;
  major: number;
  ordinary: number;
}

/** VIP the top 1% by revenue, major the next 4%, ordinary the next 15%, small the rest. */
export const DEFAULT_PYRAMID: PyramidShares = { vip: 0.01, major: 0.04, ordinary: 0.15 };

export interface RfmScore {
  guestId: string;
  recency: number;
  frequency: number;
  monetary: number;
  segment: PyramidSegment;
}

/** Quintile 1..5 of each value by rank (5 = best); ties get the same quintile. */
function quintiles(values: readonly number[], higherIsBetter: boolean): number[] {
  const order = values.map((v, i) => ({ v: higherIsBetter ? v : -v, i })).sort((a, b) => a.v - b.v);
  const result = new Array<number>(values.length);
  let rank = 0;
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && order[k].v !== order[k - 1].v) rank = k;
    result[order[k].i] = Math.min(5, Math.floor((rank * 5) / order.length) + 1);
  }
  return result;
}

export function scoreRfm(
  guests: readonly GuestActivity[],
  shares: PyramidShares = DEFAULT_PYRAMID,
): RfmScore[] {
  const r = quintiles(
    guests.map((g) => g.recencyDays),
    false,
  );
  const f = quintiles(
    guests.map((g) => g.stays),
    true,
  );
  const m = quintiles(
    guests.map((g) => g.revenueMinor),
    true,
  );
  const byRevenue = guests.map((g, i) => ({ g, i })).sort((a, b) => b.g.revenueMinor - a.g.revenueMinor);
  const segment = new Array<PyramidSegment>(guests.length);
  const cut = (share: number): number => Math.round(share * guests.length);
  const [vip, major, ordinary] = [
    cut(shares.vip),
    cut(shares.vip + shares.major),
    cut(shares.vip + shares.major + shares.ordinary),
  ];
  // Equal spenders share the segment of the first of them, so the order rows arrive in never decides.
  let rank = 0;
  byRevenue.forEach(({ g, i }, position) => {
    if (position > 0 && g.revenueMinor !== byRevenue[position - 1].g.revenueMinor) rank = position;
    segment[i] = rank < vip ? 'vip' : rank < major ? 'major' : rank < ordinary ? 'ordinary' : 'small';
  });
  return guests.map((g, i) => ({
    guestId: g.guestId,
    recency: r[i],
    frequency: f[i],
    monetary: m[i],
    segment: segment[i],
  }));
}
