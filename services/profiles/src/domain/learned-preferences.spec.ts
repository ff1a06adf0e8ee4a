import { learnPreferences, parseRoomTypeTraits } from './learned-preferences';

const traits = parseRoomTypeTraits(
  'STD-K=bed:king, DLX-K=bed:king, STD-T=bed:twin, SKY-T=bed:twin|floor:high',
);

describe('learnPreferences', () => {
  it('should learn a bed type when at least 3 of the last 5 stays show it and two thirds agree', () => {
    expect(learnPreferences(['STD-T', 'STD-T', 'STD-K', 'SKY-T'], traits)).toEqual([
      { group: 'bed', value: 'twin', evidence: { agreeing: 3, of: 4 } },
    ]);
  });

  it('should learn nothing when fewer than 3 stays show the group', () => {
    expect(learnPreferences(['STD-T', 'STE', 'STD-T'], traits)).toEqual([]);
  });

  it('should learn nothing when the stays disagree, below a two-thirds share', () => {
    expect(learnPreferences(['STD-T', 'STD-K', 'STD-T', 'DLX-K'], traits)).toEqual([]);
  });

  it('should only look at the 5 most recent stays, so a changed habit is learned', () => {
    const recentKing = ['STD-K', 'DLX-K', 'STD-K', 'STD-K', 'STD-K', 'STD-T', 'STD-T', 'STD-T', 'STD-T'];
    expect(learnPreferences(recentKing, traits)).toEqual([
      { group: 'bed', value: 'king', evidence: { agreeing: 5, of: 5 } },
    ]);
  });

  it('should learn each group of a room type on its own', () => {
    expect(learnPreferences(['SKY-T', 'SKY-T', 'SKY-T'], traits).map((p) => `${p.group}:${p.value}`)).toEqual(
      ['bed:twin', 'floor:high'],
    );
  });
});

describe('parseRoomTypeTraits', () => {
  it('should refuse a value that is not in the preference vocabulary', () => {
    expect(() => parseRoomTypeTraits('STD-W=bed:waterbed')).toThrow('"bed:waterbed" of room type STD-W');
  });

  it('should refuse an item without a trait', () => {
    expect(() => parseRoomTypeTraits('STD-K')).toThrow('"STD-K" is not ROOMTYPE=group:value');
  });
});
