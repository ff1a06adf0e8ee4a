import { dayNumber } from '@loyalty/lifetime';
import { localDateOf } from '@loyalty/time';

/**
 * The day (as `dayNumber` counts them) that it is at `now` at a property in `timeZone`. Stays are dated
 * in their property's calendar, so the days since a guest's last stay are counted to the date at that
 * property: the UTC date is already tomorrow's in the Americas' evenings, and still yesterday's in the
 * mornings of Asia and the Pacific.
 */
export function localDay(now: Date, timeZone: string): number {
  return dayNumber(localDateOf(now, timeZone));
}

/**
 * {@link localDay} at one instant for guests in any number of time zones: the scan judges every guest at
 * once, and a chain has far fewer zones than guests, so each zone's date is worked out once.
 */
export function localDaysAt(now: Date): (timeZone: string) => number {
  const days = new Map<string, number>();
  return (timeZone) => {
    let day = days.get(timeZone);
    if (day === undefined) {
      day = localDay(now, timeZone);
      days.set(timeZone, day);
    }
    return day;
  };
}
