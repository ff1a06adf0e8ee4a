import { DEFAULT_CHAIN } from '@loyalty/simulator';
import { MINOR_UNIT_EXPONENTS, PROGRAM_CURRENCY, USD_PER_UNIT } from './currencies';

describe('currency reference data', () => {
  it('should have a rate and a minor unit for the currency of every property of the simulated chain', () => {
    const missing = DEFAULT_CHAIN.map((p) => p.currency).filter(
      (currency) => USD_PER_UNIT[currency] === undefined || MINOR_UNIT_EXPONENTS[currency] === undefined,
    );
    expect(missing).toEqual([]);
  });

  it('should give every rate as a positive exact decimal of a known currency, the programme currency at 1', () => {
    const problems = Object.entries(USD_PER_UNIT).filter(
      ([currency, rate]) =>
        !/^\d+(\.\d+)?$/.test(rate) || Number(rate) <= 0 || MINOR_UNIT_EXPONENTS[currency] === undefined,
    );
    expect(problems).toEqual([]);
    expect(USD_PER_UNIT[PROGRAM_CURRENCY]).toBe('1');
  });
});
