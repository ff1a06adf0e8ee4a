import type { RevenueDto } from '@loyalty/contracts';
import { PermanentEventError } from '@loyalty/messaging';
import { toProgramCurrency, UnknownCurrencyError } from '../domain/currency';

/** The stay's revenue as reported, and converted to the programme currency component by component. */
export function programRevenue(revenue: RevenueDto, rates?: Readonly<Record<string, number>>): RevenueDto {
  return {
    room: toProgramCurrency(revenue.room, rates),
    foodAndBeverage: toProgramCurrency(revenue.foodAndBeverage, rates),
    other: toProgramCurrency(revenue.other, rates),
  };
}

/**
 * `programRevenue` of an event's revenue: a currency missing from the rate table fails the same way on
 * every redelivery, so the event is dead-lettered instead of retried.
 */
export function programRevenueOfEvent(revenue: RevenueDto): RevenueDto {
  try {
    return programRevenue(revenue);
  } catch (error) {
    if (error instanceof UnknownCurrencyError) {
      throw new PermanentEventError('UNKNOWN_CURRENCY', `${error.message}: add it to the rate table`);
    }
    throw error;
  }
}

export const totalMinor = (revenue: RevenueDto): number =>
  revenue.room.amountMinor + revenue.foodAndBeverage.amountMinor + revenue.other.amountMinor;
