import { divideRounded, isDecimal, multiplyRounded, parseDecimal, toSafeInteger } from './decimal';
import { isLedgerError, LedgerErrorCode } from './ledger-error';

describe('parseDecimal', () => {
  it('should keep every digit exactly when the decimal has a fraction', () => {
    expect(parseDecimal('1.0850')).toEqual({ numerator: 10850n, denominator: 10000n });
    expect(parseDecimal('10')).toEqual({ numerator: 10n, denominator: 1n });
  });

  it('should refuse a value when it is negative, empty or in exponent notation', () => {
    for (const bad of ['-1', '', '1e3', '1.', '.5', '1,5']) {
      expect(isDecimal(bad)).toBe(false);
      expect(() => parseDecimal(bad)).toThrow(
        expect.objectContaining({ code: LedgerErrorCode.INVALID_ARGUMENT }),
      );
    }
  });
});

describe('divideRounded', () => {
  it('should round down when the mode is floor, even just below the next integer', () => {
    expect(divideRounded(1999n, 1000n, 'floor')).toBe(1n);
    expect(divideRounded(2000n, 1000n, 'floor')).toBe(2n);
  });

  it('should round ties up when the mode is half-up, and below ties down', () => {
    expect(divideRounded(2499n, 1000n, 'half-up')).toBe(2n);
    expect(divideRounded(2500n, 1000n, 'half-up')).toBe(3n);
    expect(divideRounded(2501n, 1000n, 'half-up')).toBe(3n);
  });

  it('should round ties to the even neighbour when the mode is half-even', () => {
    expect(divideRounded(25n, 10n, 'half-even')).toBe(2n);
    expect(divideRounded(35n, 10n, 'half-even')).toBe(4n);
    expect(divideRounded(251n, 100n, 'half-even')).toBe(3n);
  });

  it('should refuse when the fraction is negative', () => {
    let error: unknown;
    try {
      divideRounded(-1n, 2n, 'floor');
    } catch (caught) {
      error = caught;
    }
    expect(isLedgerError(error, LedgerErrorCode.INVALID_ARGUMENT)).toBe(true);
  });

  it('should multiply exactly when a value is scaled by a decimal', () => {
    expect(multiplyRounded(3n, parseDecimal('0.3333'), 'floor')).toBe(0n);
    expect(multiplyRounded(3n, parseDecimal('0.3334'), 'floor')).toBe(1n);
  });

  it('should refuse a conversion to number when the value is beyond a safe integer', () => {
    expect(toSafeInteger(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toSafeInteger(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow('safe integer');
  });
});
