import type { VisitColumns } from '@loyalty/lifetime';
import { localDaysAt } from '../domain';
import type { GuestRow } from './visit-store';

export function visitColumns(guests: readonly GuestRow[]): VisitColumns {
  return {
    firstDay: Float64Array.from(guests, (guest) => guest.firstDay),
    lastDay: Float64Array.from(guests, (guest) => guest.lastDay),
    repeatVisits: Float64Array.from(guests, (guest) => guest.repeatVisits),
  };
}

/**
 * The guests by the day it is for them at `now`, the local date at their last stay's property: each
 * group is scored in one pass as of its day.
 */
export function groupByLocalDay<G extends { readonly timeZone: string }>(
  guests: readonly G[],
  now: Date,
): Map<number, G[]> {
  const dayIn = localDaysAt(now);
  return groupBy(guests, (guest) => dayIn(guest.timeZone));
}

export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
