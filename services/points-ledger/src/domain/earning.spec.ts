import type { Money } from './currency';
import { DEFAULT_PROGRAM } from './default-program';
import { calculateEarn, GuestEarnContext, StayForEarning, stayKeyOf } from './earning';
import { LedgerErrorCode } from './ledger-error';
import type { ProgramRules } from './program-rules';

const NOW = new Date('2026-02-04T09:00:00Z');
const PLAIN: ProgramRules = { ...DEFAULT_PROGRAM, promotions: [], milestones: [] };
const money = (amountMinor: number, currency = 'USD'): Money => ({ amountMinor, currency });

function stay(overrides: Partial<StayForEarning> = {}, currency = 'USD'): StayForEarning {
  return {
    stayId: 'stay-1',
    propertyId: 'grand-new-york',
    reservationId: 'R-100',
    arrival: '2026-02-01',
    departure: '2026-02-03',
    channel: 'direct',
    revenue: {
      room: money(40_000, currency),
      foodAndBeverage: money(5_000, currency),
      other: money(2_000, currency),
    },
    checkedOutAt: new Date('2026-02-03T11:00:00Z'),
    ...overrides,
  };
}

const guest = (overrides: Partial<GuestEarnContext> = {}): GuestEarnContext => ({
  tierId: 'member',
  promotionUsage: {},
  yearToDate: { nights: 0, stays: 0 },
  reached: { nights: 0, stays: 0 },
  ...overrides,
});

describe('calculateEarn', () => {
  it('should earn the brand base rate on room and F&B when the property counts F&B', () => {
    const result = calculateEarn(stay(), guest(), PLAIN, NOW);
    expect(result).toMatchObject({
      basePoints: 4_500,
      tierBonus: 0,
      total: 4_500,
      earning: true,
      qualifyingRevenue: money(45_000),
    });
  });

  it('should ignore F&B and other charges when the property counts room only', () => {
    const result = calculateEarn(stay({ propertyId: 'stay-extended-austin' }), guest(), PLAIN, NOW);
    // $400 room at 5 points per USD
    expect(result.basePoints).toBe(2_000);
  });

  it('should convert from the property currency when the property bills in CNY', () => {
    const shanghai = stay({
      propertyId: 'urban-shanghai',
      revenue: {
        room: money(200_000, 'CNY'),
        foodAndBeverage: money(9_999_999, 'USD'),
        other: money(0, 'CNY'),
      },
    });
    const result = calculateEarn(shanghai, guest(), PLAIN, NOW);
    // CN¥2,000.00 × 0.138 = $276.00; F&B does not count there, so its currency is never looked at
    expect(result.qualifyingRevenue).toEqual(money(27_600));
    expect(result.basePoints).toBe(2_760);
  });

  it('should convert from yen when the property bills in a currency without minor units', () => {
    const tokyo = stay({ propertyId: 'grand-tokyo' }, 'JPY');
    const result = calculateEarn(
      {
        ...tokyo,
        revenue: { ...tokyo.revenue, room: money(30_000, 'JPY'), foodAndBeverage: money(5_000, 'JPY') },
      },
      guest(),
      PLAIN,
      NOW,
    );
    // ¥35,000 × 0.0067 = $234.50
    expect(result.basePoints).toBe(2_345);
  });

  it('should compute points from the converted amount rounded to the cent when conversion leaves a fraction', () => {
    const paris = stay({
      propertyId: 'grand-paris',
      revenue: { room: money(46, 'EUR'), foodAndBeverage: money(0, 'EUR'), other: money(0, 'EUR') },
    });
    // €0.46 × 1.085 = 49.91 cents → 50 cents (half-up) → 5 points, the figure a statement can explain
    expect(calculateEarn(paris, guest(), PLAIN, NOW)).toMatchObject({
      qualifyingRevenue: money(50),
      basePoints: 5,
    });
  });

  it('should floor base points when the revenue is not a whole number of tenth dollars', () => {
    const result = (cents: number) =>
      calculateEarn(
        stay({ revenue: { room: money(cents), foodAndBeverage: money(0), other: money(0) } }),
        guest(),
        PLAIN,
        NOW,
      );
    expect(result(1_239).basePoints).toBe(123);
    expect(result(1_240).basePoints).toBe(124);
    expect(result(9).basePoints).toBe(0);
  });

  it('should round base points half-up when the program says so', () => {
    const halfUp: ProgramRules = { ...PLAIN, rounding: { ...PLAIN.rounding, points: 'half-up' } };
    const result = (cents: number) =>
      calculateEarn(
        stay({ revenue: { room: money(cents), foodAndBeverage: money(0), other: money(0) } }),
        guest(),
        halfUp,
        NOW,
      );
    expect(result(1_234).basePoints).toBe(123);
    expect(result(1_235).basePoints).toBe(124);
  });

  it('should add the tier bonus as a floored percentage of base points when the guest has status', () => {
    expect(calculateEarn(stay(), guest({ tierId: 'gold' }), PLAIN, NOW)).toMatchObject({
      basePoints: 4_500,
      tierBonus: 1_125,
      total: 5_625,
    });
    const odd = stay({ revenue: { room: money(45_050), foodAndBeverage: money(0), other: money(0) } });
    // 4,505 × 10% = 450.5
    expect(calculateEarn(odd, guest({ tierId: 'silver' }), PLAIN, NOW).tierBonus).toBe(450);
    expect(calculateEarn(odd, guest({ tierId: 'titanium' }), PLAIN, NOW).tierBonus).toBe(3_378);
  });

  it('should itemise base, bonus, promotions and milestones when all apply', () => {
    const spring = stay({
      arrival: '2026-03-10',
      departure: '2026-03-14',
      revenue: { room: money(40_000), foodAndBeverage: money(0), other: money(0) },
    });
    const result = calculateEarn(
      spring,
      guest({ tierId: 'gold', yearToDate: { nights: 38, stays: 9 } }),
      DEFAULT_PROGRAM,
      NOW,
    );
    expect(result).toMatchObject({
      basePoints: 4_000,
      tierBonus: 1_000,
      promotions: [{ id: 'spring-double-2026', points: 4_000, limitPeriod: 'promotion' }],
      milestones: [{ id: 'every-10-nights-from-40', threshold: 40, points: 10_000 }],
      total: 19_000,
      qualifying: { nights: 4, stays: 1, basePoints: 4_000 },
    });
  });

  describe('a stay credited late, of an earlier qualifying year', () => {
    /** Four nights to 20 December of `year`, with 38 nights already counted in that year, credited at `now`. */
    const lateStay = (year: number, now: Date) =>
      calculateEarn(
        stay({
          arrival: `${year}-12-16`,
          departure: `${year}-12-20`,
          revenue: { room: money(40_000), foodAndBeverage: money(0), other: money(0) },
        }),
        guest({ yearToDate: { nights: 38, stays: 9 }, reached: { nights: 38, stays: 9 } }),
        DEFAULT_PROGRAM,
        now,
      );

    it('should pay the milestone it crosses when its year is last year', () => {
      expect(lateStay(2025, NOW)).toMatchObject({
        basePoints: 4_000,
        milestones: [{ id: 'every-10-nights-from-40', threshold: 40, points: 10_000 }],
        total: 14_000,
        qualifying: { nights: 4, stays: 1, basePoints: 4_000 },
      });
    });

    it('should earn its points and count its nights but pay no milestone when its year is the year before last', () => {
      expect(lateStay(2024, NOW)).toMatchObject({
        basePoints: 4_000,
        milestones: [],
        total: 4_000,
        qualifying: { nights: 4, stays: 1, basePoints: 4_000 },
      });
    });

    it('should pay no milestone of last year once the ledger credits it in the next UTC year', () => {
      const paid = (now: string) => lateStay(2025, new Date(now)).milestones;
      expect(paid('2026-12-31T23:59:59.000Z')).toHaveLength(1);
      expect(paid('2027-01-01T00:00:00.000Z')).toEqual([]);
    });
  });

  it('should earn nothing and count nothing towards status when the channel does not earn', () => {
    const ota = stay({ channel: 'ota', arrival: '2026-03-10', departure: '2026-03-14' });
    const result = calculateEarn(
      ota,
      guest({ tierId: 'gold', yearToDate: { nights: 38, stays: 9 } }),
      DEFAULT_PROGRAM,
      NOW,
    );
    expect(result).toMatchObject({
      earning: false,
      basePoints: 0,
      tierBonus: 0,
      promotions: [],
      milestones: [],
      total: 0,
    });
    expect(result.qualifying).toEqual({ nights: 0, stays: 0, basePoints: 0 });
  });

  it('should count nights and stays but no base points when non-earning channels qualify by configuration', () => {
    const program: ProgramRules = {
      ...PLAIN,
      channels: { ...PLAIN.channels, nonEarningCountsForQualification: true },
    };
    const result = calculateEarn(stay({ channel: 'wholesale' }), guest(), program, NOW);
    expect(result.total).toBe(0);
    expect(result.qualifying).toEqual({ nights: 2, stays: 1, basePoints: 0 });
  });

  it('should key the stay by property and reservation when any event repeats it', () => {
    const result = calculateEarn(stay(), guest(), PLAIN, NOW);
    expect(result.stayKey).toBe('grand-new-york/R-100');
    expect(stayKeyOf({ propertyId: 'grand-new-york', reservationId: 'R-100' })).toBe(result.stayKey);
    expect(result).toMatchObject({ checkedOutAt: new Date('2026-02-03T11:00:00Z'), calculatedAt: NOW });
  });

  it.each([
    ['the property is unknown', stay({ propertyId: 'nowhere' }), guest(), LedgerErrorCode.UNKNOWN_PROPERTY],
    ['the tier is unknown', stay(), guest({ tierId: 'diamond' }), LedgerErrorCode.UNKNOWN_TIER],
    [
      'revenue is not in the property currency',
      stay({ propertyId: 'grand-paris' }),
      guest(),
      LedgerErrorCode.CURRENCY_MISMATCH,
    ],
    ['the stay has no night', stay({ departure: '2026-02-01' }), guest(), LedgerErrorCode.INVALID_ARGUMENT],
  ])('should refuse when %s', (_case, input, context, code) => {
    expect(() => calculateEarn(input, context, PLAIN, NOW)).toThrow(expect.objectContaining({ code }));
  });
});
