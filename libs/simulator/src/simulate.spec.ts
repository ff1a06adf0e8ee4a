import { createHash } from 'node:crypto';
import { parseEventBytes, validateEvent } from '@loyalty/contracts';
import { simulate, type Delivery, type SimulationOptions } from './simulate';
import { lastCheckOutDayBy, periodStartForCheckOutsBy } from './stays';

const options: SimulationOptions = {
  seed: 42,
  guests: 400,
  startDate: '2025-01-01',
  days: 365,
  duplicateRate: 0.05,
  outOfOrderRate: 0.05,
  malformedRate: 0.02,
};

const fingerprint = (values: string[]) => createHash('sha256').update(values.join('\n')).digest('hex');

describe('simulate', () => {
  const run = simulate(options);

  it('should give the same events for the same seed and different ones for another seed', () => {
    expect(fingerprint(simulate(options).deliveries.map((d) => d.value))).toBe(
      fingerprint(run.deliveries.map((d) => d.value)),
    );
    expect(fingerprint(simulate({ ...options, seed: 43 }).deliveries.map((d) => d.value))).not.toBe(
      fingerprint(run.deliveries.map((d) => d.value)),
    );
  });

  it('should produce events that pass the stay-completed contract unless broken on purpose', () => {
    for (const delivery of run.deliveries.filter((d) => !d.malformed)) {
      expect(validateEvent(parseEventBytes(delivery.value), 'stay-completed').data.propertyId).toBe(
        delivery.key.split(':')[0],
      );
    }
  });

  it('should break about the configured share of events, each in a way the contract rejects', () => {
    const broken = run.deliveries.filter((d) => d.malformed && !d.duplicate);
    const share = broken.length / run.stays.length;
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.035);
    for (const delivery of broken) expect(() => validateEvent(parseEventBytes(delivery.value))).toThrow();
  });

  it('should deliver about the configured share twice, with the same event id', () => {
    const duplicates = run.deliveries.filter((d) => d.duplicate);
    expect(duplicates.length / run.stays.length).toBeGreaterThan(0.03);
    expect(duplicates.length / run.stays.length).toBeLessThan(0.07);
    const ids = new Set(run.deliveries.filter((d) => !d.duplicate).map((d) => d.eventId));
    expect(duplicates.every((d) => ids.has(d.eventId))).toBe(true);
  });

  it('should deliver about the configured share one place off, and none further', () => {
    // The same seed without reordering draws the same deliveries in the order they were made.
    const place = (d: Delivery) => `${d.eventId}${d.duplicate ? ' again' : ''}`;
    const madeAt = new Map(
      simulate({ ...options, outOfOrderRate: 0 }).deliveries.map((d, index) => [place(d), index]),
    );
    const moves = run.deliveries.map((d, index) => Math.abs((madeAt.get(place(d)) ?? -1) - index));
    const share = moves.filter((move) => move > 0).length / moves.length;
    // About 1,850 deliveries, about 46 pairs swapped: moved deliveries (two a swap) have a standard
    // deviation of about 0.007 as a share, so 0.05 ± 0.022 is three of them.
    expect(share).toBeGreaterThan(0.028);
    expect(share).toBeLessThan(0.072);
    expect(Math.max(...moves)).toBe(1);
  });

  it('should give each guest a profile id of its own at each property, as property systems do', () => {
    // Enough guests that ids drawn at random from 900,000 would collide at some property.
    const chain = simulate({ ...options, guests: 8_000, days: 120 });
    const holders = new Map<string, Set<string>>();
    for (const stay of chain.stays) {
      const profile = `${stay.property.id}|${stay.guest.profileRefs.get(stay.property.id)}`;
      holders.set(profile, (holders.get(profile) ?? new Set()).add(stay.guest.ref));
    }
    const shared = [...holders].filter(([, guests]) => guests.size > 1).map(([profile]) => profile);
    expect({ profiles: holders.size > 5_000, shared }).toEqual({ profiles: true, shared: [] });
  });

  it('should give guests loyalty numbers, emails, profile ids and reservations of their own when another seed is run', () => {
    // Profiles matches on each of these: one shared with the first run would merge the two runs' guests,
    // and a shared reservation would be recorded once, dropping the second run's stay.
    const matchedOn = (seed: number) =>
      simulate({ ...options, seed, guests: 2_000, days: 120 }).stays.flatMap(
        ({ guest, property, reservationId }) => [
          `loyalty ${guest.loyaltyNumber ?? '-'}`,
          `email ${guest.email}`,
          `profile ${property.id} ${guest.profileRefs.get(property.id)}`,
          `reservation ${property.id}:${reservationId}`,
        ],
      );
    const first = new Set(matchedOn(7));
    const shared = new Set(matchedOn(8).filter((id) => first.has(id) && id !== 'loyalty -'));
    expect(shared).toEqual(new Set());
  });

  it('should start a period so that every stay, the longest included, has checked out by the day given', () => {
    const startDate = periodStartForCheckOutsBy('2026-12-04', 120);
    const departures = simulate({ ...options, startDate, days: 120 })
      .stays.map((stay) => stay.departure)
      .sort();
    expect(departures[departures.length - 1] <= '2026-12-04').toBe(true);
    // No more room than the longest stay needs: stays begun in the period's last days end within a week.
    expect(departures[departures.length - 1] >= '2026-11-28').toBe(true);
  });

  it('should end a period by default so that every stay has checked out, also just after midnight UTC', () => {
    const now = new Date('2026-12-07T00:05:00Z');
    const startDate = periodStartForCheckOutsBy(lastCheckOutDayBy(now), 120);
    const checkOuts = simulate({ ...options, startDate, days: 120, malformedRate: 0 })
      .deliveries.map((delivery) => JSON.parse(delivery.value) as { data: { checkedOutAt: string } })
      .map((event) => event.data.checkedOutAt)
      .sort();
    expect(lastCheckOutDayBy(now)).toBe('2026-12-06');
    expect(checkOuts[checkOuts.length - 1] < now.toISOString()).toBe(true);
  });

  it('should give regular guests a cadence and one-time guests a single stay', () => {
    const staysBy = new Map<string, number>();
    for (const stay of run.stays) staysBy.set(stay.guest.ref, (staysBy.get(stay.guest.ref) ?? 0) + 1);
    const business = run.guests.filter((g) => g.segment === 'business');
    const oneTime = run.guests.filter((g) => g.segment === 'one-time');
    expect(business.length).toBeGreaterThan(40);
    expect(business.every((g) => (staysBy.get(g.ref) ?? 0) >= 5)).toBe(true);
    expect(oneTime.every((g) => (staysBy.get(g.ref) ?? 0) <= 1)).toBe(true);
  });

  it('should plant lapsing guests whose visits thin out after the recorded lapse date', () => {
    expect(run.lapses.length).toBeGreaterThan(20);
    for (const lapse of run.lapses) {
      const stays = run.stays.filter((s) => s.guest.ref === lapse.guestRef);
      const before = stays.filter((s) => s.arrival < lapse.lapseBegan);
      const after = stays.filter((s) => s.arrival >= lapse.lapseBegan);
      expect(before.length).toBeGreaterThanOrEqual(3);
      const daysLeft = 365 - (Date.parse(lapse.lapseBegan) - Date.parse('2025-01-01')) / 86_400_000;
      // At the normal cadence they would keep coming; lapsed, at most one stay in the time left.
      expect(after.length).toBeLessThanOrEqual(
        Math.max(1, Math.floor(daysLeft / (lapse.normalIntervalDays * 4))),
      );
    }
  });

  it('should stamp check-out in the property time zone and each currency of the chain', () => {
    const currencies = new Set(run.stays.map((s) => s.property.currency));
    expect(currencies).toEqual(new Set(['EUR', 'JPY', 'USD', 'CNY', 'GBP']));
    const tokyo = run.deliveries.find((d) => d.key.startsWith('grand-tokyo') && !d.malformed);
    expect(tokyo && JSON.parse(tokyo.value).data.checkedOutAt).toMatch(/T0[01]:\d\d:00\.000Z$/);
  });
});
