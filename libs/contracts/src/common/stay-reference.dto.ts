import { Identifier, LaterThan, LocalDate, Uuid } from './decorators';

/** Points at a stay recorded by profiles (`stay-recorded`), with enough context to read it alone. */
export class StayReferenceDto {
  /** The canonical stay id from `stay-recorded`. */
  @Uuid()
  stayId: string;

  /** The property's code. */
  @Identifier()
  propertyId: string;

  /** The reservation number in the property's system. */
  @Identifier()
  reservationId: string;

  /** Local date of arrival at the property. */
  @LocalDate()
  arrival: string;

  /** Local date of departure from the property. */
  @LocalDate()
  @LaterThan('arrival', 'date')
  departure: string;
}
