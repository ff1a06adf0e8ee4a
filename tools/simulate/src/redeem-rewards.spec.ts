import type { EventData } from '@loyalty/contracts';
import { chooseRedeemers, dearestAffordable, REWARDS } from './redeem-rewards';

const stay = (guestId: string, propertyId: string, reservationId: string, departure: string) =>
  ({ guestId, propertyId, reservationId, departure }) as EventData<'stay-recorded'>;

describe('chooseRedeemers', () => {
  const stays = Array.from({ length: 40 }, (_, i) =>
    stay(`guest-${i % 20}`, `hotel-${i % 3}`, `R${String(i).padStart(3, '0')}`, `2025-0${1 + (i % 9)}-10`),
  );

  it('chooses each guest at most once, at the property of their latest stay', () => {
    const chosen = chooseRedeemers(stays, { seed: 1, share: 1 });
    expect(chosen).toHaveLength(20);
    const guest3 = stays.filter((s) => s.guestId === 'guest-3');
    const latest = guest3.reduce((a, b) => (b.departure > a.departure ? b : a));
    expect(chosen.find((r) => r.guestId === 'guest-3')).toEqual({
      guestId: 'guest-3',
      propertyId: latest.propertyId,
      key: 'hotel-0:R003',
    });
  });

  it('chooses the same guests for the same seed whatever order the stays were read in', () => {
    const forward = chooseRedeemers(stays, { seed: 9, share: 0.3 });
    expect(forward.length).toBeGreaterThan(0);
    expect(forward.length).toBeLessThan(20);
    expect(chooseRedeemers([...stays].reverse(), { seed: 9, share: 0.3 })).toEqual(forward);
    expect(chooseRedeemers(stays, { seed: 10, share: 0.3 })).not.toEqual(forward);
  });

  it('breaks a tie between latest stays by their keys, not by the order they were read in', () => {
    const sameDay = [stay('g', 'hotel-b', 'R2', '2025-03-01'), stay('g', 'hotel-a', 'R1', '2025-03-01')];
    for (const order of [sameDay, [...sameDay].reverse()]) {
      expect(chooseRedeemers(order, { seed: 1, share: 1 })).toEqual([
        { guestId: 'g', propertyId: 'hotel-b', key: 'hotel-a:R1' },
      ]);
    }
  });

  it('chooses nobody at a share of 0', () => {
    expect(chooseRedeemers(stays, { seed: 1, share: 0 })).toEqual([]);
  });
});

describe('dearestAffordable', () => {
  it('is the dearest reward the points pay for, and none below the cheapest', () => {
    const [dearest, middle, cheapest] = REWARDS;
    expect(dearestAffordable(dearest.points + 1)).toBe(dearest);
    expect(dearestAffordable(dearest.points - 1)).toBe(middle);
    expect(dearestAffordable(cheapest.points)).toBe(cheapest);
    expect(dearestAffordable(cheapest.points - 1)).toBeUndefined();
  });
});
