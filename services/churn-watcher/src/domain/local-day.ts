import { dayNumber } from '@loyalty/lifetime';
import { localDateOf } from '@loyalty/time';

/** Told of a time zone this runtime's time-zone data does not know, which a guest was judged in UTC for. */
export type UnknownZone = (timeZone: string) => void;

const knownZones = new Map<string, boolean>();

function isKnownZone(timeZone: string): boolean {
  let known = knownZones.get(timeZone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      known = true;
    } catch {
      known = false;
    }
    knownZones.set(timeZone, known);
  }
  return known;
}

/**
 * The day (as `dayNumber` counts them) that it is at `now` at a property in `timeZone`. Stays are dated
 * in their property's calendar, so the days since a guest's last stay are counted to the date at that
 * property: the UTC date is already tomorrow's in the Americas' evenings, and still yesterday's in the
 * mornings of Asia and the Pacific.
 *
 * A zone this runtime's ICU data does not know (one of a newer tz release, written by a pod with newer
 * data than this one's) gives the UTC date, as stays recorded without a zone count, and is told to
 * `unknownZone`: a day off at most for one guest, rather than a scan or a stay that fails whatever it
 * is retried with.
 */
export function localDay(now: Date, timeZone: string, unknownZone?: UnknownZone): number {
  try {
    return dayNumber(localDateOf(now, timeZone));
  } catch (error) {
    // Intl refuses such a zone with a RangeError; any other failure is not this one's to hide.
    if (isKnownZone(timeZone)) throw error;
    unknownZone?.(timeZone);
    return dayNumber(now);
  }
}

/**
 * {@link localDay} at one instant for guests in any number of time zones: the scan judges every guest at
 * once, and a chain has far fewer zones than guests, so each zone's date is worked out once (and an
 * unknown zone told once).
 */
export function localDaysAt(now: Date, unknownZone?: UnknownZone): (timeZone: string) => number {
  const days = new Map<string, number>();
  return (timeZone) => {
    let day = days.get(timeZone);
    if (day === undefined) {
      day = localDay(now, timeZone, unknownZone);
      days.set(timeZone, day);
    }
    return day;
  };
}
