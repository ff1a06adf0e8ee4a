// Conversion of stay revenue to the programme currency with the chain's shared rate table.
import { MINOR_UNIT_EXPONENTS, PROGRAM_CURRENCY, USD_PER_UNIT } from '@loyalty/reference-data';

export { PROGRAM_CURRENCY };

export class UnknownCurrencyError extends Error {
  constructor(readonly currency: string) {
    super(`no exchange rate for ${currency}`);
  }
}

export interface Money {
  amountMinor: number;
  currency: string;
}

/**
 * Converts an amount to USD cents in exact integer arithmetic, rounding half away from zero once:
 * `amountMinor × rate × 10^(2 − exponent)`. Binary floating point would put ties on either side (€11.00
 * at 1.0850 is 1193.5 cents, which a float product sees as 1193.4999…), so the view would disagree by
 * a cent with what the ledger, converting exactly, earned on.
 */
export function toProgramCurrency(
  money: Money,
  rates: Readonly<Record<string, string>> = USD_PER_UNIT,
): Money {
  const rate = rates[money.currency];
  const exponent = MINOR_UNIT_EXPONENTS[money.currency];
  if (rate === undefined || exponent === undefined) throw new UnknownCurrencyError(money.currency);
  const [whole, fraction = ''] = rate.split('.');
  const programExponent = MINOR_UNIT_EXPONENTS[PROGRAM_CURRENCY];
  // The scales of both sides as one power of ten: the quotient is numerator / 10^scale.
  const scale = fraction.length + exponent - programExponent;
  let numerator = BigInt(money.amountMinor) * BigInt(whole + fraction);
  if (scale < 0) numerator *= TEN ** BigInt(-scale);
  const denominator = TEN ** BigInt(Math.max(scale, 0));
  const magnitude = numerator < ZERO ? -numerator : numerator;
  const rounded = (magnitude * TWO + denominator) / (denominator * TWO);
  return { amountMinor: Number(numerator < ZERO ? -rounded : rounded), currency: PROGRAM_CURRENCY };
}

// Constructed, not written as literals: the build targets ES2017, which has no bigint literals.
const ZERO = BigInt(0);
const TWO = BigInt(2);
const TEN = BigInt(10);
