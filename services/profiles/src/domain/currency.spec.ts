import { toProgramCurrency, UnknownCurrencyError } from './currency';

describe('toProgramCurrency', () => {
  it('should convert euro cents to dollar cents with the configured rate', () => {
    expect(toProgramCurrency({ amountMinor: 54_000, currency: 'EUR' })).toEqual({
      amountMinor: 58_590,
      currency: 'USD',
    });
  });

  it('should respect currencies without minor units', () => {
    expect(toProgramCurrency({ amountMinor: 10_000, currency: 'JPY' })).toEqual({
      amountMinor: 6_700,
      currency: 'USD',
    });
  });

  it('should round refunds symmetrically', () => {
    expect(toProgramCurrency({ amountMinor: -1, currency: 'GBP' })).toEqual({
      amountMinor: -1,
      currency: 'USD',
    });
  });

  it('should refuse a currency without a rate', () => {
    expect(() => toProgramCurrency({ amountMinor: 1, currency: 'XYZ' })).toThrow(UnknownCurrencyError);
  });
});
