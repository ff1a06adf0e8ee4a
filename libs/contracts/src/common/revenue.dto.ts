import { Nested } from './decorators';
import { MoneyDto } from './money.dto';

/** Revenue of a stay split the way earning rules need it; all three in the same currency. */
export class RevenueDto {
  /** Room revenue (the usual basis for points). */
  @Nested(() => MoneyDto)
  room: MoneyDto;

  /** Food and beverage charged to the room. */
  @Nested(() => MoneyDto)
  foodAndBeverage: MoneyDto;

  /** Everything else charged to the room (spa, parking, ...). */
  @Nested(() => MoneyDto)
  other: MoneyDto;
}
