import {
  evaluatePromotions,
  isPromotionEligible,
  PromotionStay,
  promotionLimitPeriod,
  promotionPoints,
} from './promotions';
import type { PromotionRule } from './program-rules';

const BASE: PromotionRule = {
  id: 'promo',
  name: 'Promo',
  priority: 10,
  startDate: '2026-03-01',
  endDate: '2026-03-31',
  award: { kind: 'fixed', points: 500 },
};

const promo = (overrides: Partial<PromotionRule>): PromotionRule => ({ ...BASE, ...overrides });

const STAY: PromotionStay = {
  propertyId: 'grand-paris',
  brandId: 'grand',
  arrival: '2026-03-10',
  departure: '2026-03-12',
  nights: 2,
  basePoints: 1_001,
};

describe('isPromotionEligible', () => {
  it.each([
    ['arrives on the first day', '2026-03-01', '2026-03-03', true],
    ['arrives the day before the window', '2026-02-28', '2026-03-02', false],
    ['departs on the last day', '2026-03-29', '2026-03-31', true],
    ['departs the day after the window', '2026-03-30', '2026-04-01', false],
  ])('should decide %s by the inclusive window', (_case, arrival, departure, eligible) => {
    expect(isPromotionEligible(BASE, { ...STAY, arrival, departure })).toBe(eligible);
  });

  it.each([
    [6, false],
    [7, true],
    [8, true],
  ])('should require the minimum nights when the stay has %i nights', (nights, eligible) => {
    expect(isPromotionEligible(promo({ minNights: 7 }), { ...STAY, nights })).toBe(eligible);
  });

  it('should filter by property and brand when the promotion names them', () => {
    expect(isPromotionEligible(promo({ propertyIds: ['grand-paris'] }), STAY)).toBe(true);
    expect(isPromotionEligible(promo({ propertyIds: ['grand-tokyo'] }), STAY)).toBe(false);
    expect(isPromotionEligible(promo({ brandIds: ['grand', 'urban'] }), STAY)).toBe(true);
    expect(isPromotionEligible(promo({ brandIds: ['stay-extended'] }), STAY)).toBe(false);
  });
});

describe('promotionPoints', () => {
  it('should add base × (multiplier − 1), floored, when the award is a multiplier', () => {
    expect(promotionPoints(promo({ award: { kind: 'multiplier', multiplier: '2' } }), 1_001, 'floor')).toBe(
      1_001,
    );
    expect(promotionPoints(promo({ award: { kind: 'multiplier', multiplier: '1.5' } }), 1_001, 'floor')).toBe(
      500,
    );
    expect(
      promotionPoints(promo({ award: { kind: 'multiplier', multiplier: '1.5' } }), 1_001, 'half-up'),
    ).toBe(501);
    expect(promotionPoints(promo({ award: { kind: 'multiplier', multiplier: '1' } }), 1_001, 'floor')).toBe(
      0,
    );
  });
});

describe('evaluatePromotions', () => {
  const double = promo({ id: 'double', priority: 20, award: { kind: 'multiplier', multiplier: '2' } });
  const fixed = promo({ id: 'fixed', priority: 10 });

  it('should apply promotions by priority, then id, whatever order they are listed in', () => {
    const sameRank = promo({ id: 'a-fixed', priority: 20 });
    const awards = evaluatePromotions(STAY, [double, sameRank, fixed], {}, 'floor');
    expect(awards.map((award) => award.id)).toEqual(['fixed', 'a-fixed', 'double']);
  });

  it('should apply multipliers to base points only when other promotions applied first', () => {
    const awards = evaluatePromotions(STAY, [fixed, double], {}, 'floor');
    expect(awards).toEqual([
      { id: 'fixed', points: 500, limitPeriod: 'promotion' },
      { id: 'double', points: 1_001, limitPeriod: 'promotion' },
    ]);
  });

  it('should apply an exclusive promotion only alone when it comes first', () => {
    const exclusive = promo({
      id: 'exclusive',
      priority: 1,
      exclusive: true,
      award: { kind: 'fixed', points: 2_000 },
    });
    expect(
      evaluatePromotions(STAY, [fixed, double, exclusive], {}, 'floor').map((award) => award.id),
    ).toEqual(['exclusive']);
    const late = { ...exclusive, priority: 99 };
    expect(evaluatePromotions(STAY, [fixed, double, late], {}, 'floor').map((award) => award.id)).toEqual([
      'fixed',
      'double',
    ]);
  });

  it('should stop awarding when the guest reached the per-period limit', () => {
    const limited = promo({ limit: { maxAwards: 3, period: 'calendar-month' } });
    expect(evaluatePromotions(STAY, [limited], { promo: 2 }, 'floor')).toHaveLength(1);
    expect(evaluatePromotions(STAY, [limited], { promo: 3 }, 'floor')).toHaveLength(0);
  });

  it('should let the next promotion apply when an exclusive one is over its limit', () => {
    const exclusive = promo({
      id: 'exclusive',
      priority: 1,
      exclusive: true,
      limit: { maxAwards: 1, period: 'promotion' },
    });
    expect(
      evaluatePromotions(STAY, [exclusive, double], { exclusive: 1 }, 'floor').map((award) => award.id),
    ).toEqual(['double']);
  });

  it('should name the limit period by the departure date when the limit is calendar based', () => {
    expect(
      promotionLimitPeriod(promo({ limit: { maxAwards: 1, period: 'calendar-month' } }), '2026-03-01'),
    ).toBe('2026-03');
    expect(
      promotionLimitPeriod(promo({ limit: { maxAwards: 1, period: 'calendar-year' } }), '2026-03-01'),
    ).toBe('2026');
    expect(promotionLimitPeriod(BASE, '2026-03-01')).toBe('promotion');
  });
});
