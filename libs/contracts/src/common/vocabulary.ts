// Closed vocabularies shared by more than one producer. Adding a value is a contract change: consumers
// that switch over a vocabulary must handle it before a producer emits it.

/** How a booking reached the property. */
export const BOOKING_CHANNELS = [
  'direct',
  'ota',
  'gds',
  'corporate',
  'group',
  'wholesale',
  'walk-in',
] as const;
export type BookingChannel = (typeof BOOKING_CHANNELS)[number];

/** Loyalty tiers, lowest first. */
export const TIERS = ['member', 'silver', 'gold', 'platinum', 'titanium'] as const;
export type Tier = (typeof TIERS)[number];

/** Aspects of a stay that surveys score and complaints are filed under. */
export const STAY_DIMENSIONS = [
  'check-in',
  'room',
  'cleanliness',
  'staff',
  'food-and-beverage',
  'amenities',
  'noise',
  'value',
  'billing',
] as const;
export type StayDimension = (typeof STAY_DIMENSIONS)[number];
