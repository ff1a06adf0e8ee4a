import { COMPLAINT_CATEGORIES, COMPLAINT_SEVERITIES, type StayDimension } from '@loyalty/contracts';
import { ComplaintError, ComplaintErrorCode } from './complaint-error';

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

/**
 * How serious a detractor's answer is: a likelihood-to-recommend of 0-2 or satisfaction of 1 is high,
 * 3-4 or 2 medium, anything milder low.
 */
export function severityOfDetractor(answer: { nps?: number; csat?: number }): Severity {
  const { nps = 10, csat = 5 } = answer;
  if (nps <= 2 || csat <= 1) return 'high';
  return nps <= 4 || csat <= 2 ? 'medium' : 'low';
}

/** The aspect staff named, else the one the category implies. @throws INVALID_ARGUMENT for `other` without one. */
export function aspectOf(category: ComplaintCategory, aspect?: StayDimension): StayDimension {
  if (aspect) return aspect;
  if (category !== 'other') return ASPECT_OF_CATEGORY[category];
  throw new ComplaintError(
    ComplaintErrorCode.INVALID_ARGUMENT,
    'aspect is required when the category is other',
    {
      field: 'aspect',
    },
  );
}
