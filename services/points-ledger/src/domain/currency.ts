import { MINOR_UNIT_EXPONENTS } from '@loyalty/reference-data';
import { divideRounded, parseDecimal, powerOfTen, RoundingMode, toSafeInteger } from './decimal';
import type { Decimal } from './decimal';
import { LedgerError, LedgerErrorCode } from './ledger-error';

/** An amount in the currency's minor unit (cents for USD, yen for JPY); `currency` is ISO-4217. */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

/** Program-currency major units per one major unit of each currency, e.g. `{ EUR: '1.0850' }`. */
export type ExchangeRates = Readonly<Record<string, Decimal>>;

export function minorUnitExponent(currency: string): number {
  const exponent = MINOR_UNIT_EXPONENTS[currency];
  if (exponent === undefined) {
    throw new LedgerError(LedgerErrorCode.UNKNOWN_CURRENCY, `unknown currency ${currency}`, { currency });
  }
  return exponent;
}

export function isKnownCurrency(currency: string): boolean {
  return MINOR_UNIT_EXPONENTS[currency] !== undefined;
}

/**
 * Converts to the program currency's minor units in exact integer arithmetic, rounding once at the end:
 * `amountMinor × rate × 10^(programExponent − sourceExponent)`.
 */
export function convertMoney(
  money: Money,
  programCurrency: string,
  rates: ExchangeRates,
  mode: RoundingMode,
): Money {
  if (!Number.isSafeInteger(money.amountMinor) || money.amountMinor < 0) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_ARGUMENT,
      `revenue must be a non-negative integer of minor units`,
    );
  }
  const sourceExponent = minorUnitExponent(money.currency);
  const targetExponent = minorUnitExponent(programCurrency);
  if (money.currency === programCurrency)
    return { amountMinor: money.amountMinor, currency: programCurrency };
  const rateText = rates[money.currency];
  if (rateText === undefined) {
    throw new LedgerError(
      LedgerErrorCode.MISSING_EXCHANGE_RATE,
      `no rate from ${money.currency} to ${programCurrency}`,
      {
        currency: money.currency,
      },
    );
  }
  const rate = parseDecimal(rateText);
  const numerator = BigInt(money.amountMinor) * rate.numerator * powerOfTen(targetExponent);
  const denominator = rate.denominator * powerOfTen(sourceExponent);
  return {
    amountMinor: toSafeInteger(divideRounded(numerator, denominator, mode)),
    currency: programCurrency,
  };
}
