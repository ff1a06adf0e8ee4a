import { pareto, per100, percent } from './insights';

describe('insight arithmetic', () => {
  it('should order categories by count and mark the few that make the first 80 %', () => {
    const rows = pareto({
      noise: 50,
      cleanliness: 30,
      'service-attitude': 10,
      other: 6,
      'price-and-billing': 4,
      room: 0,
    });
    expect(rows.map((row) => [row.category, row.cumulativeShare, row.vitalFew])).toEqual([
      ['noise', 50, true],
      ['cleanliness', 80, true],
      ['service-attitude', 90, false],
      ['other', 96, false],
      ['price-and-billing', 100, false],
    ]);
    expect(rows[1].share).toBe(30);
  });

  it('should round 50.25 % up to 50.3 when its float quotient lies just below the tie', () => {
    expect(percent(201, 400)).toBe(50.3);
    expect(per100(201, 400)).toBe(50.3);
    expect(pareto({ noise: 201, room: 199 }).map((row) => row.share)).toEqual([50.3, 49.8]);
  });

  it('should give nothing to divide by as null, not zero', () => {
    expect(percent(1, 0)).toBeNull();
    expect(per100(3, 250)).toBe(1.2);
    expect(pareto({})).toEqual([]);
  });
});
