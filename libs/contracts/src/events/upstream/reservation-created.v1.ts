import { Instant, Nested } from '../../common/decorators';
import { GuestIdentityDto } from '../../common/guest-identity.dto';
import { BookedStayFields } from '../../common/stay.fields';

/** A property or central reservation system took a new reservation. */
export class ReservationCreatedV1 extends BookedStayFields {
  /** The booker as the reservation system knows them (personal data). */
  @Nested(() => GuestIdentityDto)
  guest: GuestIdentityDto;

  /** When the reservation was made. */
  @Instant()
  bookedAt: string;
}
