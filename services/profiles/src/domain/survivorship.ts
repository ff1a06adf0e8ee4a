// Merging two profiles of one guest: which id survives, and which value of each field is kept.

export interface ProfileForMerge {
  guestId: string;
  loyaltyNumber?: string | null;
  stays: number;
  createdAt: string;
}

/** The member (loyalty number) survives; then the profile with more stays; then the older one. */
export function chooseSurvivor(a: ProfileForMerge, b: ProfileForMerge): { survivor: string; merged: string } {
  const rank = (p: ProfileForMerge): [number, number, number] => [
    p.loyaltyNumber ? 1 : 0,
    p.stays,
    -Date.parse(p.createdAt),
  ];
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < ra.length; i++) {
    if (ra[i] !== rb[i])
      return ra[i] > rb[i]
        ? { survivor: a.guestId, merged: b.guestId }
        : { survivor: b.guestId, merged: a.guestId };
  }
  return a.guestId < b.guestId
    ? { survivor: a.guestId, merged: b.guestId }
    : { survivor: b.guestId, merged: a.guestId };
}

export interface FieldValue<V = string> {
  value: V;
  verified: boolean;
  observedAt: string;
}

/** The better of two values of one field: a verified value beats an unverified one, then the most recent wins. */
export function betterValue<V>(
  a: FieldValue<V> | undefined,
  b: FieldValue<V> | undefined,
): FieldValue<V> | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.verified !== b.verified) return a.verified ? a : b;
  return Date.parse(b.observedAt) > Date.parse(a.observedAt) ? b : a;
}

/** Per field, the best of both profiles' values. */
export function mergeFields<V>(
  survivor: Readonly<Record<string, FieldValue<V>>>,
  merged: Readonly<Record<string, FieldValue<V>>>,
): Record<string, FieldValue<V>> {
  const result: Record<string, FieldValue<V>> = {};
  for (const field of new Set([...Object.keys(survivor), ...Object.keys(merged)])) {
    const best = betterValue(survivor[field], merged[field]);
    if (best) result[field] = best;
  }
  return result;
}
