import { Nested } from '../../common/decorators';
import { GuestIdentityDto } from '../../common/guest-identity.dto';
import { RevenueDto } from '../../common/revenue.dto';
import { CompletedStayFields } from '../../common/stay.fields';

/** A guest checked out: the stay as the property-management system closed it. */
export class StayCompletedV1 extends CompletedStayFields {
  /** The guest as the property system knows them (personal data). */
  @Nested(() => GuestIdentityDto)
  guest: GuestIdentityDto;

  /** Revenue of the stay in the property's currency. */
  @Nested(() => RevenueDto)
  revenue: RevenueDto;
}
