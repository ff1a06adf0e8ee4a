// The chain's currency reference data, one table for every service and the simulator: profiles converts
// revenue for the single customer view and the ledger converts it for earning, so they must never
// disagree on a rate. A real deployment replaces this snapshot with the treasury's daily rates.

/** The loyalty programme's currency: points are earned per unit of it. */
export const PROGRAM_CURRENCY = 'USD';

/** Programme-currency (USD) units per one unit of each currency, as exact decimals. */
// prettier-ignore
export const USD_PER_UNIT: Readonly<Record<string, string>> = {
  AED: '0.2723', AUD: '0.6600', CAD: '0.7300', CHF: '1.1300', CNY: '0.1380', EUR: '1.0850', GBP: '1.2700',
  JPY: '0.0067', SGD: '0.7400', USD: '1',
};

// ISO-4217 minor-unit exponents. A currency missing here is refused rather than guessed, because
// guessing 2 for JPY would multiply its amounts by a hundred.
// prettier-ignore
export const MINOR_UNIT_EXPONENTS: Readonly<Record<string, number>> = {
  AED: 2, AUD: 2, BHD: 3, BRL: 2, CAD: 2, CHF: 2, CLP: 0, CNY: 2, CZK: 2, DKK: 2, EUR: 2, GBP: 2, HKD: 2,
  IDR: 2, INR: 2, ISK: 0, JOD: 3, JPY: 0, KRW: 0, KWD: 3, MXN: 2, MYR: 2, NOK: 2, NZD: 2, OMR: 3, PHP: 2,
  PLN: 2, QAR: 2, SAR: 2, SEK: 2, SGD: 2, THB: 2, TRY: 2, TWD: 2, USD: 2, VND: 0, ZAR: 2,
};
