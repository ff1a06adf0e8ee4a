import type { VisitColumns } from '@loyalty/lifetime';
import type { GuestRow } from './visit-store';

export function visitColumns(guests: readonly GuestRow[]): VisitColumns {
  return {
    firstDay: Float64Array.from(guests, (guest) => guest.firstDay),
    lastDay: Float64Array.from(guests, (guest) => guest.lastDay),
    repeatVisits: Float64Array.from(guests, (guest) => guest.repeatVisits),
  };
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
