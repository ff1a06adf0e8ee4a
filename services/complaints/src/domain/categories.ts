import { COMPLAINT_SEVERITIES, type StayDimension } from '@loyalty/contracts';

/** What a complaint is about, in the guest-relations taxonomy staff file complaints under. */
export const COMPLAINT_CATEGORIES = [
  'service-attitude',
  'service-quality',
  'price-and-billing',
  'communication-and-information',
  'facilities-and-maintenance',
  'cleanliness',
  'noise',
  'other',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

export type Severity = (typeof COMPLAINT_SEVERITIES)[number];

/**
 * The aspect of the stay (the surveys' vocabulary, which `complaint-opened` carries as `category`)
 * each complaint category concerns unless staff name another. `other` implies none, so it needs one.
 */
export const ASPECT_OF_CATEGORY: Record<Exclude<ComplaintCategory, 'other'>, StayDimension> = {
  'service-attitude': 'staff',
  'service-quality': 'staff',
  'price-and-billing': 'billing',
  'communication-and-information': 'check-in',
  'facilities-and-maintenance': 'room',
  cleanliness: 'cleanliness',
  noise: 'noise',
};

/** The complaint category a detractor's worst-scored aspect of the stay is filed under. */
export const CATEGORY_OF_ASPECT: Record<StayDimension, ComplaintCategory> = {
  'check-in': 'service-quality',
  room: 'facilities-and-maintenance',
  cleanliness: 'cleanliness',
  staff: 'service-attitude',
  'food-and-beverage': 'service-quality',
  amenities: 'facilities-and-maintenance',
  noise: 'noise',
  value: 'price-and-billing',
  billing: 'price-and-billing',
};

/** A detractor's score (0-6) judged as a complaint's severity: 0-2 is high, 3-4 medium, 5-6 low. */
export function severityOfDetractorScore(nps: number): Severity {
  if (nps <= 2) return 'high';
  return nps <= 4 ? 'medium' : 'low';
}
