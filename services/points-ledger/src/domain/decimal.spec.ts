import { divideRounded, isDecimal, multiplyRounded, parseDecimal, toSafeInteger } from './decimal';
import { isLedgerError, LedgerErrorCode } from './ledger-error';

describe('parseDecimal', () => {
  it('should keep every digit exactly when the decimal has a fraction', () => {
    expect(parseDecimal('1.0850')).toEqual({ numerator: BigInt(10850), denominator: BigInt(10000) });
    expect(parseDecimal('10')).toEqual({ numerator: BigInt(10), denominator: BigInt(1) });
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
    expect(divideRounded(BigInt(1999), BigInt(1000), 'floor')).toBe(BigInt(1));
    expect(divideRounded(BigInt(2000), BigInt(1000), 'floor')).toBe(BigInt(2));
  });

  it('should round ties up when the mode is half-up, and below ties down', () => {
    expect(divideRounded(BigInt(2499), BigInt(1000), 'half-up')).toBe(BigInt(2));
    expect(divideRounded(BigInt(2500), BigInt(1000), 'half-up')).toBe(BigInt(3));
    expect(divideRounded(BigInt(2501), BigInt(1000), 'half-up')).toBe(BigInt(3));
  });

  it('should round ties to the even neighbour when the mode is half-even', () => {
    expect(divideRounded(BigInt(25), BigInt(10), 'half-even')).toBe(BigInt(2));
    expect(divideRounded(BigInt(35), BigInt(10), 'half-even')).toBe(BigInt(4));
    expect(divideRounded(BigInt(251), BigInt(100), 'half-even')).toBe(BigInt(3));
  });

  it('should refuse when the fraction is negative', () => {
    let error: unknown;
    try {
      divideRounded(-BigInt(1), BigInt(2), 'floor');
    } catch (caught) {
      error = caught;
    }
    expect(isLedgerError(error, LedgerErrorCode.INVALID_ARGUMENT)).toBe(true);
  });

  it('should multiply exactly when a value is scaled by a decimal', () => {
    expect(multiplyRounded(BigInt(3), parseDecimal('0.3333'), 'floor')).toBe(BigInt(0));
    expect(multiplyRounded(BigInt(3), parseDecimal('0.3334'), 'floor')).toBe(BigInt(1));
  });

  it('should refuse a conversion to number when the value is beyond a safe integer', () => {
    expect(toSafeInteger(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toSafeInteger(BigInt(Number.MAX_SAFE_INTEGER) + BigInt(1))).toThrow('safe integer');
  });
});
