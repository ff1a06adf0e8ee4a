import {
  Identifier,
  Instant,
  LaterThan,
  LocalDate,
  NightsOfStay,
  OneOf,
  PositiveInt,
  TimeZone,
} from './decorators';
import { BOOKING_CHANNELS, type BookingChannel } from './vocabulary';

// Field groups shared by the booking and stay events, written once and inherited: a reservation, the
// stay it books, and the stay once completed.

/** Identifies a reservation in a property's system; the pair is the partition key of booking events. */
export abstract class ReservationFields {
  /** The property's code, as its property-management system knows it. */
  @Identifier()
  propertyId: string;

  /** The reservation (confirmation) number in the property's system. */
  @Identifier()
  reservationId: string;
}

export abstract class BookedStayFields extends ReservationFields {
  /** Local date of arrival at the property. */
  @LocalDate()
  arrival: string;

  /** Local date of departure from the property. */
  @LocalDate()
  @LaterThan('arrival', 'date')
  departure: string;

  /** IANA time zone of the property, which the local dates are in (e.g. `Europe/Amsterdam`). */
  @TimeZone()
  timeZone: string;

  /** Room type code. */
  @Identifier()
  roomType: string;

  /** Rate plan code. */
  @Identifier()
  ratePlan: string;

  /** How the booking was made. */
  @OneOf(BOOKING_CHANNELS)
  channel: BookingChannel;

  /** Number of rooms booked under the reservation. */
  @PositiveInt()
  rooms: number;
}

export abstract class CompletedStayFields extends BookedStayFields {
  /** Nights stayed: the days from arrival to departure. */
  @PositiveInt()
  @NightsOfStay()
  nights: number;

  /** When the guest checked out. */
  @Instant()
  checkedOutAt: string;
}
