import {
  approverAbove,
  approverNeeded,
  assertMayDecide,
  assertFitsApproversComplaint,
  assertFitsApproversDay,
  assertFitsWholeStay,
  canApprove,
  fitsApproversComplaint,
  fitsApproversDay,
  type CompensationOffer,
} from './approval';

const points = (value: number): CompensationOffer => ({ kind: 'goodwill-points', points: value });

describe('approval limits', () => {
  it.each([
    ['front-desk', 1_000, true],
    ['front-desk', 1_001, false],
    ['property-manager', 10_000, true],
    ['property-manager', 10_001, false],
    ['chain-admin', 20_000, true],
    ['analyst', 1, false],
    ['service', 1, false],
  ] as const)('should let a %s approve %i points: %s', (role, value, allowed) => {
    expect(canApprove([role], points(value))).toBe(allowed);
  });

  it('should name the lowest role that may approve more than the caller may', () => {
    expect(approverNeeded(points(500))).toBe('front-desk');
    expect(approverNeeded(points(5_000))).toBe('property-manager');
    expect(approverNeeded(points(15_000))).toBe('chain-admin');
    expect(() => assertMayDecide('approve', ['front-desk'], points(5_000))).toThrow(
      expect.objectContaining({
        code: 'APPROVAL_LIMIT_EXCEEDED',
        message:
          'a compensation of 5000 points needs the approval of a property-manager; the token has: front-desk',
        details: { requiredRole: 'property-manager' },
      }),
    );
  });

  it('should let whoever may approve an offer decline it, whatever their day or discount used', () => {
    // 2,000 points wait for a manager: the desk may decline it no more than approve it.
    expect(() => assertMayDecide('decline', ['front-desk'], points(2_000))).toThrow(
      expect.objectContaining({
        code: 'APPROVAL_LIMIT_EXCEEDED',
        details: { requiredRole: 'property-manager' },
      }),
    );
    expect(() => assertMayDecide('decline', ['property-manager'], points(2_000))).not.toThrow();
    expect(() => assertMayDecide('decline', ['chain-admin'], points(15_000))).not.toThrow();
    // An offer a desk could approve alone, waiting for a manager as its requester's day was used up.
    expect(() => assertMayDecide('decline', ['front-desk'], points(1), 'property-manager')).toThrow(
      expect.objectContaining({ details: { requiredRole: 'property-manager' } }),
    );
    expect(() => assertMayDecide('decline', ['analyst'], { kind: 'upgrade-voucher' })).toThrow(
      expect.objectContaining({ code: 'APPROVAL_LIMIT_EXCEEDED' }),
    );
  });

  it('should apply the limits of discounts and upgrade vouchers', () => {
    expect(canApprove(['front-desk'], { kind: 'discount', discountPercent: 10 })).toBe(true);
    expect(canApprove(['front-desk'], { kind: 'discount', discountPercent: 15 })).toBe(false);
    expect(canApprove(['front-desk'], { kind: 'upgrade-voucher' })).toBe(false);
    expect(canApprove(['front-desk', 'property-manager'], { kind: 'upgrade-voucher' })).toBe(true);
  });

  it('should let an offer wait for a role above the one it needs alone, when its requester had used up their day', () => {
    expect(approverAbove(['front-desk'])).toBe('property-manager');
    expect(approverAbove(['analyst', 'property-manager'])).toBe('chain-admin');
    expect(approverAbove(['chain-admin'])).toBe('chain-admin');
    expect(() => assertMayDecide('approve', ['front-desk'], points(500), 'property-manager')).toThrow(
      expect.objectContaining({ details: { requiredRole: 'property-manager' } }),
    );
    expect(() =>
      assertMayDecide('approve', ['property-manager'], points(500), 'property-manager'),
    ).not.toThrow();
  });

  it('should hold an approver to the goodwill points of their strongest role in a day', () => {
    expect(fitsApproversDay(['front-desk'], points(1_000), 4_000)).toBe(true);
    expect(fitsApproversDay(['front-desk'], points(1_000), 4_001)).toBe(false);
    expect(fitsApproversDay(['front-desk', 'property-manager'], points(1_000), 49_000)).toBe(true);
    expect(fitsApproversDay(['chain-admin'], points(20_000), 10_000_000)).toBe(true);
    // Offers of no points are not counted against the day.
    expect(fitsApproversDay(['front-desk'], { kind: 'discount', discountPercent: 10 }, 9_000)).toBe(true);
    expect(() => assertFitsApproversDay(['front-desk'], points(1_000), 4_500)).toThrow(
      expect.objectContaining({
        code: 'DAILY_APPROVAL_LIMIT',
        details: { limit: 5_000, usedInLast24Hours: 4_500, remaining: 500, requested: 1_000 },
      }),
    );
    expect(() => assertFitsApproversDay(['front-desk'], points(1_000), 9_000)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ remaining: 0 }) }),
    );
  });

  it('should hold an approver to the discount of their strongest role over the offers on one complaint', () => {
    const discount = (percent: number): CompensationOffer => ({ kind: 'discount', discountPercent: percent });
    expect(fitsApproversComplaint(['front-desk'], discount(10), 0)).toBe(true);
    // A desk that approved 10% off on the complaint may not approve 10% more in a second offer.
    expect(fitsApproversComplaint(['front-desk'], discount(10), 10)).toBe(false);
    expect(fitsApproversComplaint(['front-desk'], discount(5), 5)).toBe(true);
    expect(fitsApproversComplaint(['front-desk', 'property-manager'], discount(10), 40)).toBe(true);
    // Offers of no discount are not counted against it.
    expect(fitsApproversComplaint(['front-desk'], points(1_000), 10)).toBe(true);
    expect(() => assertFitsApproversComplaint(['property-manager'], discount(20), 40)).toThrow(
      expect.objectContaining({
        code: 'APPROVAL_LIMIT_EXCEEDED',
        details: {
          requiredRole: 'chain-admin',
          limit: 50,
          approvedOnComplaint: 40,
          remaining: 10,
          requested: 20,
        },
      }),
    );
    expect(() => assertFitsApproversComplaint(['property-manager'], discount(10), 40)).not.toThrow();
  });

  it('should refuse a discount that would take the complaint past the whole stay, whoever approves it', () => {
    const discount = (percent: number): CompensationOffer => ({ kind: 'discount', discountPercent: percent });
    expect(() => assertFitsWholeStay(discount(40), 60)).not.toThrow();
    expect(() => assertFitsWholeStay(points(20_000), 100)).not.toThrow();
    expect(() => assertFitsWholeStay(discount(50), 70)).toThrow(
      expect.objectContaining({
        code: 'DISCOUNT_PAST_WHOLE_STAY',
        details: { limit: 100, approvedOnComplaint: 70, remaining: 30, requested: 50 },
      }),
    );
    expect(() => assertFitsWholeStay(discount(1), 120)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ remaining: 0 }) }),
    );
  });
});
