import { createHmac } from 'node:crypto';

/** Marks a reservation id replaced on erasure; a reservation id from the booking system never has it. */
export const ERASED_RESERVATION_PREFIX = 'erased:';

export interface StayIdentity {
  stayId: string;
  propertyId: string;
  reservationId: string;
}

/**
 * What an erased guest's invitation keeps in place of the ids of their stay: keyed hashes, so the row no
 * longer leads to a reservation (a reservation number is short and guessable, a plain hash of it is not a
 * secret), while the same stay recorded again still maps to the same values and finds its row, so an
 * erased guest's redelivered stay creates no second survey. The property id takes part, as reservation
 * ids are unique per property only.
 */
export function erasedStayOf(stay: StayIdentity, key: string): Omit<StayIdentity, 'propertyId'> {
  return { stayId: erasedStayIdOf(stay.stayId, key), reservationId: erasedReservationIdOf(stay, key) };
}

/** The reservation id `erasedStayOf` replaces the stay's with. */
export function erasedReservationIdOf(stay: Omit<StayIdentity, 'stayId'>, key: string): string {
  const reservationHash = createHmac('sha256', key)
    .update(`reservation\0${stay.propertyId}\0${stay.reservationId}`)
    .digest('base64url');
  return ERASED_RESERVATION_PREFIX + reservationHash;
}

/** The stay id `erasedStayOf` replaces `stayId` with. */
export function erasedStayIdOf(stayId: string, key: string): string {
  return uuidOf(createHmac('sha256', key).update(`stay\0${stayId}`).digest());
}

/** A UUID of version 8 (custom, RFC 9562) from the first 16 bytes of a hash. */
function uuidOf(hash: Buffer): string {
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
