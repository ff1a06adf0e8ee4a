import { approverNeeded, assertCanApprove, canApprove, type CompensationOffer } from './approval';

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
    expect(() => assertCanApprove(['front-desk'], points(5_000))).toThrow(
      expect.objectContaining({
        code: 'APPROVAL_LIMIT_EXCEEDED',
        message:
          'a compensation of 5000 points needs the approval of a property-manager; the token has: front-desk',
        details: { requiredRole: 'property-manager' },
      }),
    );
  });

  it('should apply the limits of discounts and upgrade vouchers', () => {
    expect(canApprove(['front-desk'], { kind: 'discount', discountPercent: 10 })).toBe(true);
    expect(canApprove(['front-desk'], { kind: 'discount', discountPercent: 15 })).toBe(false);
    expect(canApprove(['front-desk'], { kind: 'upgrade-voucher' })).toBe(false);
    expect(canApprove(['front-desk', 'property-manager'], { kind: 'upgrade-voucher' })).toBe(true);
  });
});
