import type { RevenueDto } from '@loyalty/contracts';
import { PermanentEventError } from '@loyalty/messaging';
import { toProgramCurrency, UnknownCurrencyError } from '../domain/currency';

/** The stay's revenue as reported, and converted to the programme currency component by component. */
export function programRevenue(revenue: RevenueDto): RevenueDto {
  return {
    room: toProgramCurrency(revenue.room),
    foodAndBeverage: toProgramCurrency(revenue.foodAndBeverage),
    other: toProgramCurrency(revenue.other),
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
