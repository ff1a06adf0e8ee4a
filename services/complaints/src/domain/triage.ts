import type { StayDimension } from '@loyalty/contracts';
import { ASPECT_OF_CATEGORY, type ComplaintCategory, type Severity } from './categories';

/** How a complaint was triaged: how serious it is, what it is about, and which aspect of the stay. */
export interface Classification {
  severity: Severity;
  category: ComplaintCategory;
  aspect: StayDimension;
}

/**
 * The complaint's classification once staff change its severity, its category or both; null when that
 * changes nothing. A new category brings the aspect of the stay it implies; `other` implies none, so the
 * complaint keeps the one it has.
 */
export function reclassified(
  current: Classification,
  change: { severity?: Severity; category?: ComplaintCategory },
): Classification | null {
  const severity = change.severity ?? current.severity;
  const category = change.category ?? current.category;
  if (severity === current.severity && category === current.category) return null;
  const keepsAspect = category === current.category || category === 'other';
  return { severity, category, aspect: keepsAspect ? current.aspect : ASPECT_OF_CATEGORY[category] };
}
