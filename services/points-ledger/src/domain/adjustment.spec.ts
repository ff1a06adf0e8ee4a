import type { Role } from '@loyalty/auth';
import { assertWithinDailyLimit, type AdjustmentRequest } from './adjustment';
import { DEFAULT_PROGRAM } from './default-program';
import { checkInvariants } from './invariants';
import { LedgerErrorCode } from './ledger-error';
import { accountWith, POLICY, T0 } from './ledger.fixtures';

const CAPS = DEFAULT_PROGRAM.adjustmentCaps;
const request = (
  points: number,
  role: Role = 'front-desk',
  extra: Partial<AdjustmentRequest> = {},
): AdjustmentRequest => ({
  points,
  reason: 'noisy room',
  role,
  staffId: 'staff-7',
  ...extra,
});

describe('adjust', () => {
  it('should credit available points with the staff member, role and complaint recorded', () => {
    const { account, entries } = accountWith(0).adjust(
      request(2_000, 'front-desk', { complaintId: 'cmp-1' }),
      CAPS,
      POLICY,
      T0,
    );
    expect(entries).toEqual([
      expect.objectContaining({
        type: 'adjust',
        points: 2_000,
        cause: {
          kind: 'staff-adjustment',
          reason: 'noisy room',
          role: 'front-desk',
          staffId: 'staff-7',
          complaintId: 'cmp-1',
        },
      }),
    ]);
    expect(account.balances().available).toBe(2_000);
    expect(checkInvariants(account)).toEqual([]);
  });

  it.each([
    ['front-desk', 5_000, true],
    ['front-desk', 5_001, false],
    ['property-manager', 50_000, true],
    ['property-manager', 50_001, false],
    ['service', 20_001, false],
    ['chain-admin', 1_000_000, true],
    ['analyst', 1, false],
  ] as const)('should decide a %s adjustment of %i points by the role cap', (role, points, allowed) => {
    const run = () => accountWith(2_000_000).adjust(request(points, role), CAPS, POLICY, T0);
    const runDebit = () => accountWith(2_000_000).adjust(request(-points, role), CAPS, POLICY, T0);
    if (allowed) {
      expect(run().account.balances().total).toBe(2_000_000 + points);
      expect(runDebit().account.balances().total).toBe(2_000_000 - points);
    } else {
      expect(run).toThrow(expect.objectContaining({ code: LedgerErrorCode.ADJUSTMENT_OVER_CAP }));
      expect(runDebit).toThrow(expect.objectContaining({ code: LedgerErrorCode.ADJUSTMENT_OVER_CAP }));
    }
  });

  it('should refuse a debit when it is larger than the available points', () => {
    expect(() => accountWith(100).adjust(request(-101), CAPS, POLICY, T0)).toThrow(
      expect.objectContaining({
        code: LedgerErrorCode.INSUFFICIENT_POINTS,
        details: expect.objectContaining({ shortfall: 1 }),
      }),
    );
  });

  it('should refuse an adjustment when it has no reason or no points', () => {
    expect(() =>
      accountWith(100).adjust(request(10, 'front-desk', { reason: '  ' }), CAPS, POLICY, T0),
    ).toThrow(expect.objectContaining({ code: LedgerErrorCode.INVALID_ARGUMENT }));
    expect(() => accountWith(100).adjust(request(0), CAPS, POLICY, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.INVALID_ARGUMENT }),
    );
  });

  it('should allow staff adjustments when the account is suspended', () => {
    const suspended = accountWith(100).suspend('review', T0).account;
    expect(suspended.adjust(request(-100), CAPS, POLICY, T0).account.balances().total).toBe(0);
  });
});

describe('assertWithinDailyLimit', () => {
  const LIMITS = { ...DEFAULT_PROGRAM.dailyAdjustmentLimits, 'front-desk': 25_000, analyst: 0 };

  it('should allow a request that fits in what is left of the day, up to the last point, either sign', () => {
    expect(() => assertWithinDailyLimit(request(5_000), 20_000, LIMITS)).not.toThrow();
    expect(() => assertWithinDailyLimit(request(-5_000), 20_000, LIMITS)).not.toThrow();
  });

  it('should refuse a request past the limit and say what is used and left', () => {
    expect(() => assertWithinDailyLimit(request(-1_001), 24_000, LIMITS)).toThrow(
      expect.objectContaining({
        code: LedgerErrorCode.DAILY_ADJUSTMENT_LIMIT,
        details: {
          role: 'front-desk',
          limit: 25_000,
          usedInLast24Hours: 24_000,
          remaining: 1_000,
          requested: -1_001,
        },
      }),
    );
  });

  it('should leave nothing, not a negative remainder, once a stronger role used more than this role may', () => {
    expect(() => assertWithinDailyLimit(request(1), 30_000, LIMITS)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ remaining: 0 }) }),
    );
    expect(() => assertWithinDailyLimit(request(1, 'analyst'), 0, LIMITS)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.DAILY_ADJUSTMENT_LIMIT }),
    );
  });
});
