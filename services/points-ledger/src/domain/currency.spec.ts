import { convertMoney, minorUnitExponent } from './currency';
import { LedgerErrorCode } from './ledger-error';

const RATES = { EUR: '1.0850', JPY: '0.0067', CNY: '0.1380', KWD: '3.2500' };

describe('convertMoney', () => {
  it('should pass the amount through when it is already in the program currency', () => {
    expect(convertMoney({ amountMinor: 12_345, currency: 'USD' }, 'USD', RATES, 'half-up')).toEqual({
      amountMinor: 12_345,
      currency: 'USD',
    });
  });

  it('should convert cents to cents when both currencies have two decimals', () => {
    // €100.00 × 1.085 = $108.50
    expect(convertMoney({ amountMinor: 10_000, currency: 'EUR' }, 'USD', RATES, 'half-up').amountMinor).toBe(
      10_850,
    );
  });

  it('should scale by the minor-unit exponents when the source has none (JPY)', () => {
    // ¥30,000 × 0.0067 = $201.00
    expect(convertMoney({ amountMinor: 30_000, currency: 'JPY' }, 'USD', RATES, 'half-up').amountMinor).toBe(
      20_100,
    );
    expect(minorUnitExponent('JPY')).toBe(0);
  });

  it('should scale down when the source has three decimals (KWD)', () => {
    // 1.000 KWD × 3.25 = $3.25
    expect(convertMoney({ amountMinor: 1_000, currency: 'KWD' }, 'USD', RATES, 'half-up').amountMinor).toBe(
      325,
    );
  });

  it('should round once, by the configured mode, when the result falls between cents', () => {
    // ¥75 × 0.0067 = 50.25 cents
    expect(convertMoney({ amountMinor: 75, currency: 'JPY' }, 'USD', RATES, 'half-up').amountMinor).toBe(50);
    // CN¥0.05 × 0.138 = 0.69 cents
    expect(convertMoney({ amountMinor: 5, currency: 'CNY' }, 'USD', RATES, 'floor').amountMinor).toBe(0);
    expect(convertMoney({ amountMinor: 5, currency: 'CNY' }, 'USD', RATES, 'half-up').amountMinor).toBe(1);
  });

  it('should break an exact tie by the mode when the result is half a cent', () => {
    // ¥750 × 0.0067 = 502.5 cents
    expect(convertMoney({ amountMinor: 750, currency: 'JPY' }, 'USD', RATES, 'half-up').amountMinor).toBe(
      503,
    );
    expect(convertMoney({ amountMinor: 750, currency: 'JPY' }, 'USD', RATES, 'half-even').amountMinor).toBe(
      502,
    );
    expect(convertMoney({ amountMinor: 750, currency: 'JPY' }, 'USD', RATES, 'floor').amountMinor).toBe(502);
  });

  it('should refuse when no rate is configured for the currency', () => {
    expect(() => convertMoney({ amountMinor: 1, currency: 'GBP' }, 'USD', RATES, 'half-up')).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.MISSING_EXCHANGE_RATE }),
    );
  });

  it('should refuse when the currency is unknown rather than guess its decimals', () => {
    expect(() => convertMoney({ amountMinor: 1, currency: 'XYZ' }, 'USD', { XYZ: '1' }, 'half-up')).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.UNKNOWN_CURRENCY }),
    );
  });

  it('should refuse when the amount is negative or fractional', () => {
    for (const amountMinor of [-1, 1.5]) {
      expect(() => convertMoney({ amountMinor, currency: 'EUR' }, 'USD', RATES, 'half-up')).toThrow(
        expect.objectContaining({ code: LedgerErrorCode.INVALID_ARGUMENT }),
      );
    }
  });
});
