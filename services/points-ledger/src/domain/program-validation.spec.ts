import { DEFAULT_PROGRAM } from './default-program';
import type { ProgramRules } from './program-rules';
import { validateProgram } from './program-validation';

describe('validateProgram', () => {
  it('should accept the default program', () => {
    expect(validateProgram(DEFAULT_PROGRAM)).toEqual([]);
  });

  it('should name each problem when the program is broken', () => {
    const broken: ProgramRules = {
      ...DEFAULT_PROGRAM,
      exchangeRates: { ...DEFAULT_PROGRAM.exchangeRates, EUR: '1,08' },
      properties: {
        ...DEFAULT_PROGRAM.properties,
        'x-zurich': { id: 'x-zurich', brandId: 'nope', currency: 'SEK', foodAndBeverageQualifies: true },
      },
      tiers: [DEFAULT_PROGRAM.tiers[0], DEFAULT_PROGRAM.tiers[2], DEFAULT_PROGRAM.tiers[1]],
      promotions: [
        {
          ...DEFAULT_PROGRAM.promotions[0],
          endDate: '2026-02-01',
          award: { kind: 'multiplier', multiplier: '0.5' },
        },
      ],
      expiry: { ...DEFAULT_PROGRAM.expiry, lot: { months: 24, exemptTierIds: ['diamond'] } },
      dailyAdjustmentLimits: { ...DEFAULT_PROGRAM.dailyAdjustmentLimits, 'front-desk': 4_999, analyst: 0.5 },
    };
    expect(validateProgram(broken)).toEqual(
      expect.arrayContaining([
        "exchange rate EUR '1,08' is not a positive decimal",
        'property x-zurich has unknown brand nope',
        'property x-zurich bills in SEK, which has no rate to USD',
        "tier silver nights must exceed gold's",
        'promotion spring-double-2026 ends before it starts',
        'promotion spring-double-2026 multiplier must be a decimal of at least 1',
        'lot expiry exempts unknown tier diamond',
        'daily adjustment limit for front-desk is below its cap of 5000 a request',
        'daily adjustment limit for analyst must be a whole number',
      ]),
    );
  });
});
