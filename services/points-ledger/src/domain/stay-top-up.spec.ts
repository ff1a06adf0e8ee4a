import { DEFAULT_PROGRAM } from './default-program';
import type { StayRevenue } from './earning';
import { LedgerErrorCode } from './ledger-error';
import { calculateTopUp, requalifiedNights } from './stay-top-up';

const usd = (major: number) => ({ amountMinor: major * 100, currency: 'USD' });
const added = (room: number, foodAndBeverage = 0, other = 0): StayRevenue => ({
  room: usd(room),
  foodAndBeverage: usd(foodAndBeverage),
  other: usd(other),
});
const NEW_YORK = { stayKey: 'grand-new-york/R-1', propertyId: 'grand-new-york', earning: true };

describe('calculateTopUp (revenue added to a credited stay)', () => {
  it('should earn base points and the tier bonus on the added qualifying revenue only when revenue is corrected upwards', () => {
    const topUp = calculateTopUp(NEW_YORK, added(100, 20, 50), 'gold', DEFAULT_PROGRAM);
    // Room and F&B qualify in New York, the spa does not: 120 USD at 10 points, +25% for gold.
    expect(topUp).toEqual({
      stayKey: NEW_YORK.stayKey,
      qualifyingRevenue: usd(120),
      stayRevenueMinor: 12_000,
      basePoints: 1_200,
      tierBonus: 300,
      total: 1_500,
    });
  });

  it('should earn nothing when the late charge is food and beverage at a property where it does not qualify', () => {
    const austin = { stayKey: 'stay-extended-austin/R-2', propertyId: 'stay-extended-austin', earning: true };
    expect(calculateTopUp(austin, added(0, 40), 'member', DEFAULT_PROGRAM).total).toBe(0);
  });

  it('should earn nothing when the stay was booked through a channel that earns nothing', () => {
    const ota = { ...NEW_YORK, earning: false };
    expect(calculateTopUp(ota, added(100), 'gold', DEFAULT_PROGRAM)).toMatchObject({
      basePoints: 0,
      total: 0,
    });
  });

  it('should refuse revenue in another currency than the property bills in', () => {
    const euros = { ...added(0), room: { amountMinor: 100, currency: 'EUR' } };
    expect(() => calculateTopUp(NEW_YORK, euros, 'member', DEFAULT_PROGRAM)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.CURRENCY_MISMATCH }),
    );
  });
});

describe('requalifiedNights (a credited stay whose nights the property corrected)', () => {
  it('should count the corrected nights and the stay while any nights are left', () => {
    expect(requalifiedNights({ earning: true }, 2, DEFAULT_PROGRAM)).toEqual({ nights: 2, stays: 1 });
  });

  it('should stop counting the stay when none of its nights are left', () => {
    expect(requalifiedNights({ earning: true }, 0, DEFAULT_PROGRAM)).toEqual({ nights: 0, stays: 0 });
  });

  it('should count nothing for a channel that does not qualify, and the nights where the program counts it', () => {
    expect(requalifiedNights({ earning: false }, 3, DEFAULT_PROGRAM)).toEqual({ nights: 0, stays: 0 });
    const counting = {
      ...DEFAULT_PROGRAM,
      channels: { ...DEFAULT_PROGRAM.channels, nonEarningCountsForQualification: true },
    };
    expect(requalifiedNights({ earning: false }, 3, counting)).toEqual({ nights: 3, stays: 1 });
  });
});
