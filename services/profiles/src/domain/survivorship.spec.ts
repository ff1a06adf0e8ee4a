import { betterValue, chooseSurvivor, mergeFields, mergePreferences } from './survivorship';

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

describe('preference survivorship', () => {
  const preference = (group: string, value: string, year: number, source = 'stated') => ({
    group,
    value,
    source,
    recordedAt: `${year}-06-01T00:00:00.000Z`,
  });
  const valuesOf = (held: { group: string; value: string }[]) => held.map((p) => `${p.group}:${p.value}`);

  it('should hold the stated values of both profiles in a group both stated', () => {
    const merged = mergePreferences(
      [preference('dietary', 'vegetarian', 2024)],
      [preference('dietary', 'nut-allergy', 2023), preference('accessibility', 'wheelchair', 2023)],
    );
    expect(valuesOf(merged).sort()).toEqual([
      'accessibility:wheelchair',
      'dietary:nut-allergy',
      'dietary:vegetarian',
    ]);
  });

  it('should keep the more recently stated value of a one-value group, whichever profile stated it', () => {
    const [older, newer] = [
      preference('smoking', 'smoking', 2019),
      preference('smoking', 'non-smoking', 2024),
    ];
    expect(mergePreferences([older], [newer])).toEqual([newer]);
    expect(mergePreferences([newer], [older])).toEqual([newer]);
  });

  it("should keep the newest stated values past a group's limit, of one moment the survivor's, then by value", () => {
    const survivor = [preference('pillow', 'firm', 2020), preference('pillow', 'feather', 2020)];
    expect(valuesOf(mergePreferences(survivor, [preference('pillow', 'foam', 2024)]))).toEqual([
      'pillow:foam',
      'pillow:feather',
    ]);
    const sameMoment = [preference('pillow', 'soft', 2020)];
    expect(valuesOf(mergePreferences(sameMoment, survivor))).toEqual(['pillow:soft', 'pillow:feather']);
  });

  it('should hold a value both profiles stated once, as last stated', () => {
    const newer = preference('dietary', 'vegetarian', 2024);
    expect(mergePreferences([preference('dietary', 'vegetarian', 2020)], [newer])).toEqual([newer]);
  });

  it('should keep what was learned only in a group neither profile stated, the survivor’s first', () => {
    const learnedKing = preference('bed', 'king', 2024, 'learned');
    const learnedTwin = preference('bed', 'twin', 2025, 'learned');
    const statedQueen = preference('bed', 'queen', 2019);
    expect(mergePreferences([learnedKing], [statedQueen])).toEqual([statedQueen]);
    expect(mergePreferences([statedQueen], [learnedTwin])).toEqual([statedQueen]);
    expect(mergePreferences([learnedKing], [learnedTwin])).toEqual([learnedKing]);
    expect(mergePreferences([], [learnedTwin])).toEqual([learnedTwin]);
  });
});
