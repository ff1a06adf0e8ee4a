import { buildEvent, type EventEnvelope } from '@loyalty/contracts';
import { addDays, localTimeToUtc } from '@loyalty/time';
import { DEFAULT_CHAIN, type SimulatedProperty } from './chain';
import { createGuests, DEFAULT_GUEST_MIX, profileRefAt, type GuestMix, type SimulatedGuest } from './guests';
import { SeededRandom } from './random';
import { staysOf, type SimulatedStay } from './stays';

export interface SimulationOptions {
  seed: number;
  guests: number;
  /** First local date of the simulated period. */
  startDate: string;
  days: number;
  chain?: readonly SimulatedProperty[];
  mix?: GuestMix;
  /** Share of events delivered twice (the same event id), as at-least-once upstream systems do. */
  duplicateRate?: number;
  /**
   * Share of deliveries (duplicates included) that arrive one place off, from 0 to 1: neighbouring
   * deliveries trade places, and none moves further than one place.
   */
  outOfOrderRate?: number;
  /** Share of events broken on purpose, to exercise dead letters. */
  malformedRate?: number;
}

export type MalformedKind = 'not-json' | 'missing-field' | 'unknown-version';

/** One message as an upstream system puts it on the `stay-completed` topic. */
export interface Delivery {
  key: string;
  value: string;
  eventId: string;
  /** When the property system sent it: the guest's check-out. */
  sentAt: string;
  duplicate: boolean;
  malformed?: MalformedKind;
}

export interface LapseTruth {
  guestRef: string;
  lapseBegan: string;
  normalIntervalDays: number;
}

export interface Simulation {
  chain: readonly SimulatedProperty[];
  guests: SimulatedGuest[];
  stays: SimulatedStay[];
  deliveries: Delivery[];
  /** The planted lapsing guests, for judging the churn-watcher. */
  lapses: LapseTruth[];
}

/** A deterministic hotel chain: the same options give the same guests, stays and deliveries. */
export function simulate(options: SimulationOptions): Simulation {
  const random = new SeededRandom(options.seed);
  const chain = options.chain ?? DEFAULT_CHAIN;
  const guests = createGuests(options.guests, options.mix ?? DEFAULT_GUEST_MIX, chain, options.days, random);
  const reservationsTaken = new Map<string, Set<string>>();
  const stays = guests
    .flatMap((guest) => staysOf(guest, chain, options.startDate, options.days, random, reservationsTaken))
    .sort(
      (a, b) =>
        a.arrivalDay + a.nights - (b.arrivalDay + b.nights) || a.reservationId.localeCompare(b.reservationId),
    );
  const profileRefsTaken = new Map<string, Set<string>>();
  const events = stays.map((stay) => ({ stay, event: stayCompleted(stay, random, profileRefsTaken) }));
  const deliveries = deliver(events, options, random);
  const lapses = guests
    .filter((guest) => guest.lapseDay !== undefined)
    .map((guest) => ({
      guestRef: guest.ref,
      lapseBegan: addDays(options.startDate, guest.lapseDay as number),
      normalIntervalDays: guest.cadenceDays,
    }));
  return { chain, guests, stays, deliveries, lapses };
}

function stayCompleted(
  stay: SimulatedStay,
  random: SeededRandom,
  profileRefsTaken: Map<string, Set<string>>,
): EventEnvelope<'stay-completed'> {
  const { guest, property } = stay;
  const checkedOutAt = localTimeToUtc(stay.departure, 10, random.int(0, 59), property.timeZone).toISOString();
  const money = (amountMinor: number) => ({ amountMinor, currency: property.currency });
  return buildEvent(
    'stay-completed',
    {
      propertyId: property.id,
      reservationId: stay.reservationId,
      arrival: stay.arrival,
      departure: stay.departure,
      timeZone: property.timeZone,
      roomType: stay.roomType,
      ratePlan: stay.ratePlan,
      channel: stay.channel,
      rooms: 1,
      nights: stay.nights,
      checkedOutAt,
      guest: {
        externalProfileRef: profileRefAt(guest, property, random, profileRefsTaken),
        givenName: guest.givenName,
        familyName: guest.familyName,
        email: guest.email,
        phone: guest.phone,
        loyaltyNumber: guest.loyaltyNumber,
      },
      revenue: {
        room: money(stay.revenue.roomMinor),
        foodAndBeverage: money(stay.revenue.foodAndBeverageMinor),
        other: money(stay.revenue.otherMinor),
      },
    },
    {
      source: `pms/${property.id}`,
      id: random.uuid(),
      correlationId: random.uuid(),
      time: new Date(checkedOutAt),
    },
  );
}

function deliver(
  events: { stay: SimulatedStay; event: EventEnvelope<'stay-completed'> }[],
  options: SimulationOptions,
  random: SeededRandom,
): Delivery[] {
  const deliveries: Delivery[] = [];
  for (const { stay, event } of events) {
    const delivery: Delivery = {
      key: `${stay.property.id}:${stay.reservationId}`,
      value: JSON.stringify(event),
      eventId: event.id,
      sentAt: event.time,
      duplicate: false,
    };
    if (random.chance(options.malformedRate ?? 0)) {
      Object.assign(delivery, malform(event, random));
    }
    deliveries.push(delivery);
    if (random.chance(options.duplicateRate ?? 0)) deliveries.push({ ...delivery, duplicate: true });
  }
  swapNeighbours(deliveries, options.outOfOrderRate ?? 0, random);
  return deliveries;
}

/**
 * Swaps neighbouring pairs so that about `rate` of the deliveries arrive one place off. A swapped pair is
 * stepped past, so the next swap cannot carry a delivery on. Each pair looked at is swapped with chance
 * q: it moves 2q deliveries on average and uses 1 + q positions, so the share moved is 2q / (1 + q),
 * which is `rate` for q = rate / (2 - rate).
 */
function swapNeighbours(deliveries: Delivery[], rate: number, random: SeededRandom): void {
  const share = Math.min(rate, 1); // no more than every delivery can move, and q breaks down past 1
  const pairChance = share / (2 - share);
  for (let i = 0; i + 1 < deliveries.length; i++) {
    if (!random.chance(pairChance)) continue;
    [deliveries[i], deliveries[i + 1]] = [deliveries[i + 1], deliveries[i]];
    i++; // past the pair
  }
}

function malform(
  event: EventEnvelope<'stay-completed'>,
  random: SeededRandom,
): Pick<Delivery, 'value' | 'malformed'> {
  const kind = random.pick<MalformedKind>(['not-json', 'missing-field', 'unknown-version']);
  if (kind === 'not-json') return { malformed: kind, value: JSON.stringify(event).slice(0, 40) };
  if (kind === 'unknown-version')
    return { malformed: kind, value: JSON.stringify({ ...event, dataversion: '9' }) };
  const { nights: _dropped, ...data } = event.data;
  return { malformed: kind, value: JSON.stringify({ ...event, data }) };
}
