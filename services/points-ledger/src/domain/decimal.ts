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

export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

export function parseDecimal(value: Decimal): Fraction {
  const match = DECIMAL.exec(value);
  if (!match) {
    throw new LedgerError(LedgerErrorCode.INVALID_ARGUMENT, `not a non-negative decimal: '${value}'`);
  }
  const fraction = match[2] ?? '';
  return { numerator: BigInt(match[1] + fraction), denominator: 10n ** BigInt(fraction.length) };
}

export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (numerator < 0n || denominator <= 0n) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_ARGUMENT,
      'rounding is defined for non-negative fractions only',
    );
  }
  const quotient = numerator / denominator;
  const twiceRemainder = (numerator % denominator) * 2n;
  if (mode === 'floor' || twiceRemainder < denominator) return quotient;
  if (twiceRemainder > denominator || mode === 'half-up') return quotient + 1n;
  return quotient % 2n === 0n ? quotient : quotient + 1n;
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
