// Merging two profiles of one guest: which id survives, and which value of each field is kept.

import { PREFERENCE_GROUPS } from './preferences';

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

export interface HeldPreference {
  group: string;
  value: string;
  source: string;
  recordedAt: string;
}

/**
 * The survivor's preferences once the other profile is merged in, group by group. What a guest said beats
 * what we inferred: a group either profile stated holds the stated values of both and no learned one; a
 * group neither stated keeps the survivor's learned values, or takes the merged profile's. Past a group's
 * limit the most recently stated values are kept (of one moment the survivor's, then in value order), so a
 * one-value group keeps the newer of the two, as a field keeps its newest value.
 */
export function mergePreferences(
  survivor: readonly HeldPreference[],
  merged: readonly HeldPreference[],
): HeldPreference[] {
  const groups = [...new Set([...survivor, ...merged].map((p) => p.group))];
  return groups.flatMap((group) => {
    const [own, taken] = [survivor, merged].map((held) => held.filter((p) => p.group === group));
    const stated = [
      ...own.map((preference) => ({ preference, fromSurvivor: true })),
      ...taken.map((preference) => ({ preference, fromSurvivor: false })),
    ].filter(({ preference }) => preference.source !== 'learned');
    if (!stated.length) return own.length ? own : taken;
    const newestFirst = stated
      .sort(
        (a, b) =>
          Date.parse(b.preference.recordedAt) - Date.parse(a.preference.recordedAt) ||
          Number(b.fromSurvivor) - Number(a.fromSurvivor) ||
          a.preference.value.localeCompare(b.preference.value),
      )
      .map(({ preference }) => preference);
    const kept = new Map<string, HeldPreference>();
    for (const preference of newestFirst)
      if (!kept.has(preference.value)) kept.set(preference.value, preference);
    return [...kept.values()].slice(0, maxValuesOf(group));
  });
}

function maxValuesOf(group: string): number {
  return (PREFERENCE_GROUPS as Record<string, { max: number } | undefined>)[group]?.max ?? Infinity;
}
