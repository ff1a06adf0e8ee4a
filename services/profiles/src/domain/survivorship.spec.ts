import { betterValue, chooseSurvivor, mergeFields } from './survivorship';

describe('chooseSurvivor', () => {
  const base = { stays: 0, createdAt: '2025-01-01T00:00:00Z' };

  it('should keep the member with a loyalty number', () => {
    expect(
      chooseSurvivor({ ...base, guestId: 'a', stays: 9 }, { ...base, guestId: 'b', loyaltyNumber: 'LX1' })
        .survivor,
    ).toBe('b');
  });

  it('should keep the profile with more stays, then the older one', () => {
    expect(
      chooseSurvivor({ ...base, guestId: 'a', stays: 1 }, { ...base, guestId: 'b', stays: 2 }).survivor,
    ).toBe('b');
    expect(
      chooseSurvivor({ ...base, guestId: 'a', createdAt: '2025-02-01T00:00:00Z' }, { ...base, guestId: 'b' })
        .survivor,
    ).toBe('b');
  });
});

describe('field survivorship', () => {
  const old = { value: 'old@example.com', verified: true, observedAt: '2024-01-01T00:00:00Z' };
  const recent = { value: 'new@example.com', verified: false, observedAt: '2025-01-01T00:00:00Z' };

  it('should prefer a verified value over a more recent unverified one', () => {
    expect(betterValue(recent, old)).toBe(old);
  });

  it('should prefer the most recent value when both are unverified', () => {
    expect(betterValue({ ...old, verified: false }, recent)).toBe(recent);
  });

  it('should take each field from whichever profile has the best value', () => {
    expect(mergeFields({ email: recent }, { email: old, phone: recent })).toEqual({
      email: old,
      phone: recent,
    });
  });
});
