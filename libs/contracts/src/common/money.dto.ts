import { CurrencyCode, Int } from './decorators';

/** An amount of money in the currency's minor unit (cents for EUR, yen for JPY). */
export class MoneyDto {
  /** Integer amount in minor units; negative only where the field is a change (a refund, a correction). */
  @Int()
  amountMinor: number;

  /** ISO-4217 currency code, e.g. `EUR`. */
  @CurrencyCode()
  currency: string;
}
