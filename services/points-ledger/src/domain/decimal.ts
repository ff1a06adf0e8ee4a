import { LedgerError, LedgerErrorCode } from './ledger-error';

/**
 * An exact non-negative decimal written as a string (`'1.0850'`, `'10'`). Rates and multipliers are kept
 * as strings in configuration so that no binary floating point ever touches money or points.
 */
export type Decimal = string;

/**
 * How a fraction becomes an integer. `floor` never awards a fraction the guest has not fully earned;
 * `half-up` rounds ties away from zero (amounts here are never negative); `half-even` is banker's rounding.
 */
export type RoundingMode = 'floor' | 'half-up' | 'half-even';

export interface Fraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

// Constructed, not written as literals: the build targets ES2017, which has no bigint literals (see
// tsconfig.base.json).
export const ZERO = BigInt(0);
const ONE = BigInt(1);
const TWO = BigInt(2);
const TEN = BigInt(10);

/** 10 to the power `exponent`, exactly: the size of a currency's unit in minor units, or a decimal's scale. */
export function powerOfTen(exponent: number): bigint {
  return TEN ** BigInt(exponent);
}

export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

// Decimals come from configuration (rates, multipliers): a handful of strings, each parsed once.
const parsed = new Map<Decimal, Fraction>();

export function parseDecimal(value: Decimal): Fraction {
  let fraction = parsed.get(value);
  if (!fraction) {
    const match = DECIMAL.exec(value);
    if (!match) {
      throw new LedgerError(LedgerErrorCode.INVALID_ARGUMENT, `not a non-negative decimal: '${value}'`);
    }
    const digits = match[2] ?? '';
    fraction = Object.freeze({
      numerator: BigInt(match[1] + digits),
      denominator: powerOfTen(digits.length),
    });
    parsed.set(value, fraction);
  }
  return fraction;
}

export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (numerator < ZERO || denominator <= ZERO) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_ARGUMENT,
      'rounding is defined for non-negative fractions only',
    );
  }
  const quotient = numerator / denominator;
  const twiceRemainder = (numerator % denominator) * TWO;
  if (mode === 'floor' || twiceRemainder < denominator) return quotient;
  if (twiceRemainder > denominator || mode === 'half-up') return quotient + ONE;
  return quotient % TWO === ZERO ? quotient : quotient + ONE;
}

/** `value × fraction`, rounded; the usual shape of "points × rate" and "revenue × exchange rate". */
export function multiplyRounded(value: bigint, by: Fraction, mode: RoundingMode): bigint {
  return divideRounded(value * by.numerator, by.denominator, mode);
}

export function toSafeInteger(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new LedgerError(LedgerErrorCode.INVALID_ARGUMENT, `${value} does not fit a safe integer`);
  }
  return Number(value);
}
