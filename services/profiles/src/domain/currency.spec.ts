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

  it('should round an exact half cent away from zero, where a float product falls just below it', () => {
    // 1100 × 1.0850 = 1193.5 exactly; 11 * 1.085 * 100 is 1193.4999999999998 in binary floating point.
    expect(toProgramCurrency({ amountMinor: 1_100, currency: 'EUR' }).amountMinor).toBe(1_194);
    expect(toProgramCurrency({ amountMinor: -1_100, currency: 'EUR' }).amountMinor).toBe(-1_194);
  });

  it('should round refunds symmetrically', () => {
    expect(toProgramCurrency({ amountMinor: -1, currency: 'GBP' })).toEqual({
      amountMinor: -1,
      currency: 'USD',
    });
  });

  it('should scale by the difference of minor digits, either way', () => {
    // 1.234 KWD × 3.25 = 4.0105 USD; 150 JPY × 2 = 300 USD.
    expect(toProgramCurrency({ amountMinor: 1_234, currency: 'KWD' }, { KWD: '3.25' }).amountMinor).toBe(401);
    expect(toProgramCurrency({ amountMinor: 150, currency: 'JPY' }, { JPY: '2' }).amountMinor).toBe(30_000);
  });

  it('should agree with exact decimal arithmetic on every amount up to 100,000 minor units', () => {
    for (const [currency, rate] of [
      ['EUR', 10_850],
      ['JPY', 67],
      ['AED', 2_723],
    ] as const) {
      const exponent = currency === 'JPY' ? 0 : 2;
      for (let amountMinor = 0; amountMinor <= 100_000; amountMinor += 37) {
        // amountMinor × rate / 10^4 dollars, in cents: amountMinor × rate × 100 / 10^(4 + exponent).
        const tenThousandthsOfACent = amountMinor * rate * 100;
        const divisor = 10 ** (4 + exponent);
        const expected = Math.floor((2 * tenThousandthsOfACent + divisor) / (2 * divisor));
        expect(toProgramCurrency({ amountMinor, currency }).amountMinor).toBe(expected);
      }
    }
  });

  it('should refuse a currency without a rate', () => {
    expect(() => toProgramCurrency({ amountMinor: 1, currency: 'XYZ' })).toThrow(UnknownCurrencyError);
  });
});
