import { Nested, Uuid } from '../../common/decorators';
import { RevenueDto } from '../../common/revenue.dto';
import { CompletedStayFields } from '../../common/stay.fields';

/** Stay revenue in the property's currency and converted to the loyalty programme's currency. */
export class StayRevenueDto {
  /** In the property's currency, as reported by the property. */
  @Nested(() => RevenueDto)
  property: RevenueDto;

  /** Converted to the loyalty programme's currency at the rate of the check-out day. */
  @Nested(() => RevenueDto)
  program: RevenueDto;
}

/** The canonical stay: a completed stay resolved to a guest profile. Earning, surveys and churn start here. */
export class StayRecordedV1 extends CompletedStayFields {
  /** The guest the stay was resolved to. */
  @Uuid()
  guestId: string;

  /** Canonical stay id minted by profiles; other events refer to the stay by it. */
  @Uuid()
  stayId: string;

  /** Revenue of the stay, in the property's and the programme's currency. */
  @Nested(() => StayRevenueDto)
  revenue: StayRevenueDto;
}
