import { classifyNps, netPromoterScore } from './nps';

describe('classifyNps', () => {
  it('should put 6 in detractors and 7 in passives when the score sits on the lower band edge', () => {
    expect([classifyNps(0), classifyNps(6), classifyNps(7)]).toEqual(['detractor', 'detractor', 'passive']);
  });

  it('should put 8 in passives and 9 in promoters when the score sits on the upper band edge', () => {
    expect([classifyNps(8), classifyNps(9), classifyNps(10)]).toEqual(['passive', 'promoter', 'promoter']);
  });
});

describe('netPromoterScore', () => {
  it('should be % promoters minus % detractors with a 95% margin when answers are mixed', () => {
    // 50% promoters, 30% passives, 20% detractors: NPS 30; variance 0.5 + 0.2 - 0.09 = 0.61.
    const result = netPromoterScore({ promoters: 50, passives: 30, detractors: 20 });
    expect(result.nps).toBe(30);
    expect(result.answers).toBe(100);
    expect(result.marginOfError).toBeCloseTo(1.959964 * Math.sqrt(0.61 / 100) * 100, 1);
  });

  it('should round an exact half away from zero whatever the counts behind it', () => {
    // Each is exactly ±6.25: 3 net of 48, 1 net of 16, -3 net of 48.
    const nps = (promoters: number, passives: number, detractors: number) =>
      netPromoterScore({ promoters, passives, detractors }).nps;
    expect([nps(8, 35, 5), nps(1, 15, 0), nps(4, 37, 7)]).toEqual([6.3, 6.3, -6.3]);
  });

  it('should be null with no margin when there is no NPS answer', () => {
    expect(netPromoterScore({ promoters: 0, passives: 0, detractors: 0 })).toEqual({
      nps: null,
      answers: 0,
      marginOfError: null,
    });
  });

  it('should be 100 with a zero margin when every answer is a promoter', () => {
    expect(netPromoterScore({ promoters: 4, passives: 0, detractors: 0 })).toEqual({
      nps: 100,
      answers: 4,
      marginOfError: 0,
    });
  });

  it('should have no margin when there is a single answer', () => {
    expect(netPromoterScore({ promoters: 0, passives: 0, detractors: 1 })).toMatchObject({
      nps: -100,
      marginOfError: null,
    });
  });
});
