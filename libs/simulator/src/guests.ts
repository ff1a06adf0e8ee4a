import type { SimulatedProperty } from './chain';
import { drawName } from './names';
import type { SeededRandom } from './random';

export type GuestSegment = 'business' | 'leisure' | 'one-time' | 'lapsing';

export interface SimulatedGuest {
  /** The simulator's own reference, kept as ground truth; services never see it. */
  ref: string;
  segment: GuestSegment;
  givenName: string;
  familyName: string;
  email: string;
  phone: string;
  loyaltyNumber?: string;
  homeProperty: SimulatedProperty;
  /** Each property system's own profile id for this guest. */
  profileRefs: Map<string, string>;
  /** Typical days between stays while the guest is active. */
  cadenceDays: number;
  /** For lapsing guests: the day (offset from the simulation start) their visits start to thin out. */
  lapseDay?: number;
}

export interface GuestMix {
  business: number;
  leisure: number;
  oneTime: number;
  lapsing: number;
}

export const DEFAULT_GUEST_MIX: GuestMix = { business: 0.2, leisure: 0.45, oneTime: 0.25, lapsing: 0.1 };

export function createGuests(
  count: number,
  mix: GuestMix,
  chain: readonly SimulatedProperty[],
  days: number,
  random: SeededRandom,
): SimulatedGuest[] {
  return Array.from({ length: count }, (_, i) => {
    const segment = random.weighted<GuestSegment>([
      ['business', mix.business],
      ['leisure', mix.leisure],
      ['one-time', mix.oneTime],
      ['lapsing', mix.lapsing],
    ]);
    const { givenName, familyName } = drawName(random);
    const ref = `G${String(i + 1).padStart(6, '0')}`;
    const regular = segment === 'business' || segment === 'lapsing';
    // The seed is part of every id profiles matches guests on, so that a run with another seed (as the
    // README suggests for a second run) brings new guests instead of merging into the first run's.
    return {
      ref,
      segment,
      givenName,
      familyName,
      email: `${givenName}.${familyName}.${ref}.s${random.seed}@guests.example`.toLowerCase(),
      phone: `+3161${String(random.int(0, 9_999_999)).padStart(7, '0')}`,
      loyaltyNumber: regular || random.chance(0.4) ? `LX${random.seed}-${String(1_000_000 + i)}` : undefined,
      homeProperty: random.pick(chain),
      profileRefs: new Map(),
      cadenceDays: regular ? random.int(14, 45) : random.int(150, 330),
      // Lapses begin in the second half of the run, after a pattern is established.
      lapseDay:
        segment === 'lapsing' ? random.int(Math.floor(days * 0.5), Math.floor(days * 0.8)) : undefined,
    };
  });
}

/**
 * The property system's profile id for a guest: stable per property, and never another guest's there.
 * A property system does not give two guests one profile; if the simulator did, profiles would rightly
 * merge them into one guest and the run's ground truth (one member per simulated guest) would be wrong.
 */
export function profileRefAt(
  guest: SimulatedGuest,
  property: SimulatedProperty,
  random: SeededRandom,
  takenAtProperty: Map<string, Set<string>>,
): string {
  let ref = guest.profileRefs.get(property.id);
  if (!ref) {
    const taken = takenAtProperty.get(property.id) ?? new Set<string>();
    takenAtProperty.set(property.id, taken);
    // With the seed in it: another seed's guest drawing the same number is another property-system profile.
    do ref = `${property.id.slice(0, 3).toUpperCase()}-${random.seed}-${random.int(100_000, 999_999)}`;
    while (taken.has(ref));
    taken.add(ref);
    guest.profileRefs.set(property.id, ref);
  }
  return ref;
}
