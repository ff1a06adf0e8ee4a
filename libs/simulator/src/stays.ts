import type { BookingChannel } from '@loyalty/contracts';
import { addDays } from '@loyalty/time';
import type { SimulatedProperty } from './chain';
import type { SimulatedGuest } from './guests';
import type { SeededRandom } from './random';

export interface SimulatedStay {
  guest: SimulatedGuest;
  property: SimulatedProperty;
  reservationId: string;
  /** Day of the simulation the guest arrives (0 = the start date). */
  arrivalDay: number;
  arrival: string;
  departure: string;
  nights: number;
  channel: BookingChannel;
  roomType: string;
  ratePlan: string;
  revenue: { roomMinor: number; foodAndBeverageMinor: number; otherMinor: number };
}

const ROOM_TYPES = [
  ['STD-K', 1.0],
  ['STD-T', 1.0],
  ['DLX-K', 1.35],
  ['STE', 2.2],
] as const;

interface Behaviour {
  nights: [number, number];
  channels: readonly (readonly [BookingChannel, number])[];
  ratePlans: readonly string[];
  atHome: number;
}

const REGULAR_TRAVELLER: Behaviour = {
  nights: [1, 3],
  channels: [
    ['corporate', 5],
    ['direct', 3],
    ['gds', 2],
  ],
  ratePlans: ['CORP', 'BAR'],
  atHome: 0.7,
};

const BEHAVIOUR: Record<SimulatedGuest['segment'], Behaviour> = {
  business: REGULAR_TRAVELLER,
  // A lapsing guest travels like any regular until the lapse; only the gaps change (see nextGap).
  lapsing: REGULAR_TRAVELLER,
  leisure: {
    nights: [2, 7],
    channels: [
      ['ota', 5],
      ['direct', 4],
      ['wholesale', 1],
    ],
    ratePlans: ['BAR', 'ADV', 'PKG'],
    atHome: 0.2,
  },
  'one-time': {
    nights: [1, 4],
    channels: [
      ['ota', 5],
      ['direct', 3],
      ['walk-in', 2],
    ],
    ratePlans: ['BAR', 'ADV'],
    atHome: 0,
  },
};

/** The longest stay any guest makes, in nights. */
const LONGEST_STAY_NIGHTS = Math.max(...Object.values(BEHAVIOUR).map((behaviour) => behaviour.nights[1]));

/**
 * The last day (YYYY-MM-DD) whose stays have checked out at `now` at every property: the day before today
 * in UTC. A stay checks out at 10:xx local time on its departure day, which is before the next UTC midnight
 * even at UTC-12; today's check-outs west of UTC are still to come until well into the UTC day.
 */
export function lastCheckOutDayBy(now: Date): string {
  return addDays(now.toISOString().slice(0, 10), -1);
}

/**
 * The start of a period of `days` whose every stay has checked out by `lastDay` (YYYY-MM-DD): stays
 * begin on the period's days, and the last of them may run `LONGEST_STAY_NIGHTS` beyond it.
 */
export function periodStartForCheckOutsBy(lastDay: string, days: number): string {
  return addDays(lastDay, -(days - 1 + LONGEST_STAY_NIGHTS));
}

/** Days until the next visit: around the guest's cadence, much longer (or never) once a lapse began. */
function nextGap(guest: SimulatedGuest, day: number, random: SeededRandom): number | undefined {
  if (guest.segment === 'one-time') return undefined;
  const spread = guest.segment === 'leisure' ? 0.3 : 0.2;
  const gap = Math.max(1, Math.round(random.normal(guest.cadenceDays, guest.cadenceDays * spread)));
  if (guest.lapseDay !== undefined && day + gap >= guest.lapseDay) {
    return random.chance(0.5) ? undefined : gap * random.int(4, 7);
  }
  return gap;
}

/**
 * A reservation number not yet given at the property: the platform knows a stay by property and
 * reservation, so a number drawn twice would make two guests' stays one.
 */
export function newReservationId(
  property: SimulatedProperty,
  random: SeededRandom,
  reservationsTaken: Map<string, Set<string>>,
): string {
  const taken = reservationsTaken.get(property.id) ?? new Set<string>();
  reservationsTaken.set(property.id, taken);
  let id: string;
  // With the seed in it: another seed's stay drawing the same number is another reservation, not a re-send.
  do id = `R${random.seed}-${random.int(10_000_000, 99_999_999)}`;
  while (taken.has(id));
  taken.add(id);
  return id;
}

export function staysOf(
  guest: SimulatedGuest,
  chain: readonly SimulatedProperty[],
  startDate: string,
  days: number,
  random: SeededRandom,
  reservationsTaken: Map<string, Set<string>>,
): SimulatedStay[] {
  const behaviour = BEHAVIOUR[guest.segment];
  const stays: SimulatedStay[] = [];
  const regular = guest.segment === 'business' || guest.segment === 'lapsing';
  let day: number | undefined = regular ? random.int(0, guest.cadenceDays) : random.int(0, days - 1);
  while (day !== undefined && day < days) {
    const property = random.chance(behaviour.atHome) ? guest.homeProperty : random.pick(chain);
    const nights = random.int(...behaviour.nights);
    const [roomType, rateFactor] = random.pick(ROOM_TYPES);
    const roomMinor = Math.max(
      1,
      Math.round(property.nightlyRateMinor * nights * rateFactor * Math.max(0.6, random.normal(1, 0.12))),
    );
    stays.push({
      guest,
      property,
      reservationId: newReservationId(property, random, reservationsTaken),
      arrivalDay: day,
      arrival: addDays(startDate, day),
      departure: addDays(startDate, day + nights),
      nights,
      channel: random.weighted(behaviour.channels),
      roomType,
      ratePlan: random.pick(behaviour.ratePlans),
      revenue: {
        roomMinor,
        foodAndBeverageMinor: Math.round(roomMinor * random.next() * 0.3),
        otherMinor: random.chance(0.3) ? Math.round(roomMinor * random.next() * 0.1) : 0,
      },
    });
    const gap = nextGap(guest, day, random);
    day = gap === undefined ? undefined : day + nights + gap;
  }
  return stays;
}
