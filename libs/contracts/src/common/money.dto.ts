import { CurrencyCode, Int, NonNegativeInt } from './decorators';

/** An amount of money in the currency's minor unit (cents for EUR, yen for JPY); never below zero. */
export class MoneyDto {
  /** Integer amount in minor units. */
  @NonNegativeInt()
  amountMinor: number;

  /** ISO-4217 currency code, e.g. `EUR`. */
  @CurrencyCode()
  currency: string;
}

/** A change of an amount of money, in the currency's minor unit: negative for a refund or a correction. */
export class MoneyChangeDto {
  /** Signed integer amount in minor units. */
  @Int()
  amountMinor: number;

  /** ISO-4217 currency code, e.g. `EUR`. */
  @CurrencyCode()
  currency: string;
}
