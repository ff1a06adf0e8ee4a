/** A property of the simulated chain: what the property-management system stamps on its events. */
export interface SimulatedProperty {
  id: string;
  brand: string;
  city: string;
  timeZone: string;
  currency: string;
  /** Average nightly room rate in the property's currency, minor units. */
  nightlyRateMinor: number;
}

/**
 * The chain the simulator runs by default: the properties the points programme knows, in several
 * brands, time zones and currencies.
 */
export const DEFAULT_CHAIN: readonly SimulatedProperty[] = [
  {
    id: 'grand-paris',
    brand: 'grand',
    city: 'Paris',
    timeZone: 'Europe/Paris',
    currency: 'EUR',
    nightlyRateMinor: 32_000,
  },
  {
    id: 'grand-tokyo',
    brand: 'grand',
    city: 'Tokyo',
    timeZone: 'Asia/Tokyo',
    currency: 'JPY',
    nightlyRateMinor: 42_000,
  },
  {
    id: 'grand-new-york',
    brand: 'grand',
    city: 'New York',
    timeZone: 'America/New_York',
    currency: 'USD',
    nightlyRateMinor: 38_000,
  },
  {
    id: 'urban-shanghai',
    brand: 'urban',
    city: 'Shanghai',
    timeZone: 'Asia/Shanghai',
    currency: 'CNY',
    nightlyRateMinor: 98_000,
  },
  {
    id: 'urban-london',
    brand: 'urban',
    city: 'London',
    timeZone: 'Europe/London',
    currency: 'GBP',
    nightlyRateMinor: 21_000,
  },
  {
    id: 'stay-extended-austin',
    brand: 'stay-extended',
    city: 'Austin',
    timeZone: 'America/Chicago',
    currency: 'USD',
    nightlyRateMinor: 16_000,
  },
  {
    id: 'stay-extended-berlin',
    brand: 'stay-extended',
    city: 'Berlin',
    timeZone: 'Europe/Berlin',
    currency: 'EUR',
    nightlyRateMinor: 13_000,
  },
];
