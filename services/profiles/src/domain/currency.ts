// Conversion of stay revenue to the programme currency (USD) with a configured rate table.

export const PROGRAM_CURRENCY = 'USD';

/**
 * USD per one unit of the currency. A small fixed table, the same snapshot as the points programme's
 * (services/points-ledger DEFAULT_PROGRAM); a real deployment loads daily rates.
 */
export const DEFAULT_USD_RATES: Readonly<Record<string, number>> = {
  USD: 1,
  EUR: 1.085,
  CNY: 0.138,
  GBP: 1.27,
  CHF: 1.13,
  JPY: 0.0067,
  AED: 0.2723,
  SGD: 0.74,
  CAD: 0.73,
  AUD: 0.66,
};

/** Minor units per unit (ISO-4217 exponent), where it is not 2. */
const MINOR_UNIT_EXPONENT: Readonly<Record<string, number>> = { JPY: 0, KRW: 0, BHD: 3, KWD: 3 };

export class UnknownCurrencyError extends Error {
  constructor(readonly currency: string) {
    super(`no exchange rate for ${currency}`);
  }
}

export interface Money {
  amountMinor: number;
  currency: string;
}

/** Converts an amount to USD cents, rounding half away from zero. */
export function toProgramCurrency(
  money: Money,
  rates: Readonly<Record<string, number>> = DEFAULT_USD_RATES,
): Money {
  const rate = rates[money.currency];
  if (rate === undefined) throw new UnknownCurrencyError(money.currency);
  const units = money.amountMinor / 10 ** (MINOR_UNIT_EXPONENT[money.currency] ?? 2);
  const cents = units * rate * 100;
  return { amountMinor: Math.sign(cents) * Math.round(Math.abs(cents)), currency: PROGRAM_CURRENCY };
}
