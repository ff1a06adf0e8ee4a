import { GuestAttributesDto } from '../../common/guest-attributes.dto';
import { Instant, Nested, NonEmptyObject, Uuid } from '../../common/decorators';

/** Attributes of a guest profile changed. Personal data that changed is not repeated here. */
export class GuestUpdatedV1 {
  /** The guest whose profile changed. */
  @Uuid()
  guestId: string;

  /** Only the attributes that changed, with their new values. */
  @Nested(() => GuestAttributesDto)
  @NonEmptyObject()
  changes: GuestAttributesDto;

  /** When the change was made. */
  @Instant()
  updatedAt: string;
}
