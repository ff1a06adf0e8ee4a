import { divideRounded, parseDecimal, RoundingMode, toSafeInteger } from './decimal';
import type { Decimal } from './decimal';
import { LedgerError, LedgerErrorCode } from './ledger-error';

/** An amount in the currency's minor unit (cents for USD, yen for JPY); `currency` is ISO-4217. */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

/** Program-currency major units per one major unit of each currency, e.g. `{ EUR: '1.0850' }`. */
export type ExchangeRates = Readonly<Record<string, Decimal>>;

// ISO-4217 minor-unit exponents for the currencies the chain trades in. A currency missing here is refused
// rather than guessed, because guessing 2 for JPY would multiply its points by a hundred.
// prettier-ignore
const MINOR_UNIT_EXPONENTS: Readonly<Record<string, number>> = {
  AED: 2, AUD: 2, BHD: 3, BRL: 2, CAD: 2, CHF: 2, CLP: 0, CNY: 2, CZK: 2, DKK: 2, EUR: 2, GBP: 2, HKD: 2,
  IDR: 2, INR: 2, ISK: 0, JOD: 3, JPY: 0, KRW: 0, KWD: 3, MXN: 2, MYR: 2, NOK: 2, NZD: 2, OMR: 3, PHP: 2,
  PLN: 2, QAR: 2, SAR: 2, SEK: 2, SGD: 2, THB: 2, TRY: 2, TWD: 2, USD: 2, VND: 0, ZAR: 2,
};

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
  const numerator = BigInt(money.amountMinor) * rate.numerator * 10n ** BigInt(targetExponent);
  const denominator = rate.denominator * 10n ** BigInt(sourceExponent);
  return {
    amountMinor: toSafeInteger(divideRounded(numerator, denominator, mode)),
    currency: programCurrency,
  };
}
