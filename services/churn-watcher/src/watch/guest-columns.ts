import { asCustomers, customerColumns, type CustomerColumns, type VisitColumns } from '@loyalty/lifetime';
import type { GuestRow } from './visit-store';

export function visitColumns(guests: readonly GuestRow[]): VisitColumns {
  return {
    firstDay: Float64Array.from(guests, (guest) => guest.firstDay),
    lastDay: Float64Array.from(guests, (guest) => guest.lastDay),
    repeatVisits: Float64Array.from(guests, (guest) => guest.repeatVisits),
  };
}

/**
 * The guests by the day it is for them (`dayIn`, e.g. `localDaysAt(now)`: the local date at their last
 * stay's property): each group is scored in one pass as of its day.
 */
export function groupByLocalDay<G extends { readonly timeZone: string }>(
  guests: readonly G[],
  dayIn: (timeZone: string) => number,
): Map<number, G[]> {
  return groupBy(guests, (guest) => dayIn(guest.timeZone));
}

/**
 * The guests as the model's customers (x, t_x, T), each aged to the day it is for them (`dayIn`), as the
 * scan judges them; in the order of their days, which a fit does not depend on.
 */
export function customersOnLocalDays(
  guests: readonly GuestRow[],
  dayIn: (timeZone: string) => number,
): CustomerColumns {
  const customers = customerColumns(guests.length);
  let row = 0;
  for (const [today, group] of groupByLocalDay(guests, dayIn)) {
    const part = asCustomers(visitColumns(group), today);
    customers.frequency.set(part.frequency, row);
    customers.recency.set(part.recency, row);
    customers.T.set(part.T, row);
    row += group.length;
  }
  return customers;
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
