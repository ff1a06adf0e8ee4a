import { Nested, SameCurrencyAs } from './decorators';
import { MoneyChangeDto, MoneyDto } from './money.dto';

/** Revenue of a stay split the way earning rules need it; all three in the same currency, none below zero. */
export class RevenueDto {
  /** Room revenue (the usual basis for points). */
  @Nested(() => MoneyDto)
  room: MoneyDto;

  /** Food and beverage charged to the room. */
  @Nested(() => MoneyDto)
  @SameCurrencyAs('room')
  foodAndBeverage: MoneyDto;

  /** Everything else charged to the room (spa, parking, ...). */
  @Nested(() => MoneyDto)
  @SameCurrencyAs('room')
  other: MoneyDto;
}

/** A change of a stay's revenue, split as `RevenueDto`; all three in the same currency. */
export class RevenueChangeDto {
  /** Change of room revenue. */
  @Nested(() => MoneyChangeDto)
  room: MoneyChangeDto;

  /** Change of food and beverage charged to the room. */
  @Nested(() => MoneyChangeDto)
  @SameCurrencyAs('room')
  foodAndBeverage: MoneyChangeDto;

  /** Change of everything else charged to the room. */
  @Nested(() => MoneyChangeDto)
  @SameCurrencyAs('room')
  other: MoneyChangeDto;
}
