import { GuestAttributesDto } from '../../common/guest-attributes.dto';
import { Instant, Nested, OneOf, Uuid } from '../../common/decorators';

export const ENROLMENT_CHANNELS = ['property', 'web', 'app', 'call-centre', 'import'] as const;

/** A guest profile was created (the guest enrolled, or first stayed and was enrolled). */
export class GuestRegisteredV1 {
  /** Opaque guest id minted by profiles; the subject of every later event about this guest. */
  @Uuid()
  guestId: string;

  /** When the guest enrolled. */
  @Instant()
  enrolledAt: string;

  /** Where the guest enrolled. */
  @OneOf(ENROLMENT_CHANNELS)
  enrolmentChannel: (typeof ENROLMENT_CHANNELS)[number];

  /** Attributes known at registration. */
  @Nested(() => GuestAttributesDto)
  attributes: GuestAttributesDto;
}
