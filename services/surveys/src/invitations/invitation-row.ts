import type { EventData } from '@loyalty/contracts';

/** The columns of an invitation that name its stay (dates as `YYYY-MM-DD`, as selected with to_char). */
export interface InvitationStay {
  survey_id: string;
  stay_id: string;
  guest_id: string;
  property_id: string;
  reservation_id: string;
  arrival: string;
  departure: string;
}

/** The stay every survey event refers to. */
export function stayReferenceOf(row: InvitationStay): EventData<'survey-invited'>['stay'] {
  return {
    stayId: row.stay_id,
    propertyId: row.property_id,
    reservationId: row.reservation_id,
    arrival: row.arrival,
    departure: row.departure,
  };
}
