// Conversion of stay revenue to the programme currency with the chain's shared rate table.
import { MINOR_UNIT_EXPONENTS, PROGRAM_CURRENCY, USD_PER_UNIT } from '@loyalty/reference-data';

export { PROGRAM_CURRENCY };

/** Programme-currency units per unit, as numbers: the view's roll-ups need no exact decimal arithmetic. */
export const DEFAULT_USD_RATES: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(USD_PER_UNIT).map(([currency, rate]) => [currency, Number(rate)]),
);

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
  const exponent = MINOR_UNIT_EXPONENTS[money.currency];
  if (exponent === undefined) throw new UnknownCurrencyError(money.currency);
  const units = money.amountMinor / 10 ** exponent;
  const cents = units * rate * 100;
  return { amountMinor: Math.sign(cents) * Math.round(Math.abs(cents)), currency: PROGRAM_CURRENCY };
}
