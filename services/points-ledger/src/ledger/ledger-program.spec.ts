import { sampleEventData } from '@loyalty/contracts';
import { calculateEarn, validateProgram } from '../domain';
import { LEDGER_PROGRAM } from './ledger-program';

describe('LEDGER_PROGRAM', () => {
  it('should be a valid program when loaded', () => {
    expect(validateProgram(LEDGER_PROGRAM)).toEqual([]);
  });

  it('should earn 10 points per USD of room and F&B revenue when the sample stay is credited at member tier', () => {
    const stay = sampleEventData('stay-recorded');
    const result = calculateEarn(
      { ...stay, revenue: stay.revenue.property, checkedOutAt: new Date(stay.checkedOutAt) },
      {
        tierId: 'member',
        promotionUsage: {},
        yearToDate: { nights: 0, stays: 0 },
        reached: { nights: 0, stays: 0 },
      },
      LEDGER_PROGRAM,
      new Date('2026-01-01T00:00:00Z'),
    );
    // (540.00 + 85.50) EUR × 1.0850 = 678.67 USD (half-up to the cent), × 10 floored.
    expect(result).toMatchObject({
      basePoints: 6786,
      tierBonus: 0,
      total: 6786,
      qualifying: { nights: 3, stays: 1 },
    });
  });
});
