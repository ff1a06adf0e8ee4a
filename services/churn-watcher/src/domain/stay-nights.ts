/** A stay by what adjustments name it by, as its events are keyed: upstream ids hold no ':'. */
export function stayKeyOf(stay: { readonly propertyId: string; readonly reservationId: string }): string {
  return `${stay.propertyId}:${stay.reservationId}`;
}
