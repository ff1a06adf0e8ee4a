// Adjustments of a recorded stay after check-out (`stay-adjusted`).

/**
 * One adjustment, however often it is delivered or re-published: adjustment ids are the property system's
 * own, unique only within the property. The ledger keys adjustments the same way.
 */
export function adjustmentKeyOf(adjustment: { propertyId: string; adjustmentId: string }): string {
  return `${adjustment.propertyId}/${adjustment.adjustmentId}`;
}
