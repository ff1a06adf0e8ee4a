import type { RevenueDto } from '@loyalty/contracts';
import { toProgramCurrency } from '../domain/currency';

/** The stay's revenue as reported, and converted to the programme currency component by component. */
export function programRevenue(revenue: RevenueDto, rates?: Readonly<Record<string, number>>): RevenueDto {
  return {
    room: toProgramCurrency(revenue.room, rates),
    foodAndBeverage: toProgramCurrency(revenue.foodAndBeverage, rates),
    other: toProgramCurrency(revenue.other, rates),
  };
}

export const totalMinor = (revenue: RevenueDto): number =>
  revenue.room.amountMinor + revenue.foodAndBeverage.amountMinor + revenue.other.amountMinor;
