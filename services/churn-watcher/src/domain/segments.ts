import type { BookingChannel } from '@loyalty/contracts';

/** The chain-wide model, used for a segment too small for its own. */
export const CHAIN_WIDE = 'chain';

/**
 * Guests are segmented by how their first stay was booked: corporate and GDS bookings are business
 * travel, whose cadence and loyalty differ from everyone else's.
 */
export function segmentOf(channel: BookingChannel): string {
  return channel === 'corporate' || channel === 'gds' ? 'business' : 'leisure';
}
