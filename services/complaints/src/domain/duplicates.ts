import { ComplaintError, ComplaintErrorCode } from './complaint-error';

/** A complaint marked a duplicate of another, and the property whose staff see it. */
export interface MarkedDuplicate {
  id: string;
  propertyId: string;
}

const REFUSALS = {
  cancel: { verb: 'cancel', why: 'their guests wait for its answer; resolve it instead' },
  'mark-duplicate': {
    verb: 'mark as a duplicate',
    why: 'they move with it to its original, and some are at properties outside your scope',
  },
} as const;

/**
 * Whether an original others are marked duplicates of may be set aside. A duplicate is final, so nobody
 * answers its guest but the original's handlers: cancelled, the original would leave them waiting, and is
 * refused while it has any. Marked a duplicate itself, its duplicates move with it to its own original, the
 * complaint that will be answered; the actor changes each of them, so each must be at a property the actor
 * may see. A refusal names the duplicates the actor may see and only counts the others.
 * @param visible the properties the actor may see (`propertyScopeFilter`).
 * @throws ComplaintError HAS_DUPLICATES with `duplicates` (those named) and `duplicatesOutOfScope`.
 */
export function assertMaySetAside(
  action: 'cancel' | 'mark-duplicate',
  duplicates: readonly MarkedDuplicate[],
  visible: readonly string[] | 'all',
): void {
  const inScope = ({ propertyId }: MarkedDuplicate) => visible === 'all' || visible.includes(propertyId);
  const named = duplicates.filter(inScope).map((duplicate) => duplicate.id);
  const outOfScope = duplicates.length - named.length;
  if (action === 'cancel' ? duplicates.length === 0 : outOfScope === 0) return;
  const listed = [...named, ...(outOfScope > 0 ? [`${outOfScope} at properties outside your scope`] : [])];
  const { verb, why } = REFUSALS[action];
  throw new ComplaintError(
    ComplaintErrorCode.HAS_DUPLICATES,
    `cannot ${verb} a complaint others are marked duplicates of (${listed.join(', ')}): ${why}`,
    { duplicates: named, duplicatesOutOfScope: outOfScope },
  );
}
