import { ownerStateParkedFor, PARKED_REASONS, parkedReasonOf, type OwnerState } from './parked-adjustments';

describe('why a stay adjustment is parked', () => {
  it.each<[OwnerState, string]>([
    ['uncredited', 'stay-not-credited'],
    ['suspended', 'awaiting-reactivation'],
    ['closed', 'on-closed-account'],
    ['active', 'awaiting-job'],
  ])('should say %s stays are parked as %s', (owner, reason) => {
    expect(parkedReasonOf(owner)).toBe(reason);
  });

  it.each(PARKED_REASONS)('should filter %s on the owner state it is said of', (reason) => {
    expect(parkedReasonOf(ownerStateParkedFor(reason))).toBe(reason);
  });
});
