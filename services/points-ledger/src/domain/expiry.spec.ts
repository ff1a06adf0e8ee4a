import fc from 'fast-check';
import { LedgerAccount } from './account';
import { addMonths } from './calendar';
import { inactivityDeadline, lastActivityDueBy } from './expiry';
import { checkInvariants } from './invariants';
import { accountWith, at, earned, POLICY, T0 } from './ledger.fixtures';
import type { LedgerPolicy } from './program-rules';

const LOT_ONLY: LedgerPolicy = { ...POLICY, expiry: { ...POLICY.expiry, inactivity: null } };
const INACTIVITY_ONLY: LedgerPolicy = { ...POLICY, expiry: { ...POLICY.expiry, lot: null } };
const LOT_EXPIRES = addMonths(T0, 24);
const justBefore = (date: Date): Date => new Date(date.getTime() - 1);

const earnedAt = (
  now: Date,
  key = 'p/R1',
  points = 1_000,
  policy: LedgerPolicy = POLICY,
  from = LedgerAccount.open('acc-1', 'g', T0),
) => from.earn(earned(key, points, at(-5, now)), `evt-${key}`, policy, now).account;

describe('expireLots', () => {
  it('should expire a lot 24 months after it was credited, not a millisecond earlier', () => {
    const account = earnedAt(T0, 'p/R1', 1_000, LOT_ONLY);
    expect(account.expireLots(justBefore(LOT_EXPIRES), 'member', LOT_ONLY).entries).toEqual([]);
    const { account: after, entries, events } = account.expireLots(LOT_EXPIRES, 'member', LOT_ONLY);
    expect(entries).toEqual([
      expect.objectContaining({ type: 'expire', points: -1_000, cause: { kind: 'lot-expiry' } }),
    ]);
    expect(events).toEqual([
      expect.objectContaining({ type: 'points-expired', points: 1_000, reason: 'lot' }),
    ]);
    expect(after.balances().total).toBe(0);
    expect(checkInvariants(after)).toEqual([]);
  });

  it('should expire only the lots whose date has come when lots were credited at different times', () => {
    const account = earnedAt(at(100), 'p/R2', 500, LOT_ONLY, earnedAt(T0, 'p/R1', 1_000, LOT_ONLY));
    const { account: after } = account.expireLots(LOT_EXPIRES, 'member', LOT_ONLY);
    expect(after.balances().available).toBe(500);
  });

  it('should keep lots when the tier is exempt from lot expiry, and expire them once it no longer is', () => {
    const account = earnedAt(T0, 'p/R1', 1_000, LOT_ONLY);
    expect(account.expireLots(at(1, LOT_EXPIRES), 'platinum', LOT_ONLY).entries).toEqual([]);
    expect(account.expireLots(at(1, LOT_EXPIRES), 'gold', LOT_ONLY).account.balances().total).toBe(0);
  });

  it('should never expire held points when a redemption is in progress', () => {
    const held = earnedAt(T0, 'p/R1', 1_000, LOT_ONLY).hold(
      400,
      'hold-1',
      15,
      justBefore(LOT_EXPIRES),
    ).account;
    const { account } = held.expireLots(LOT_EXPIRES, 'member', LOT_ONLY);
    expect(account.balances()).toMatchObject({ available: 0, held: 400, total: 400 });
    expect(account.confirmHold('hold-1', LOT_EXPIRES).account.balances().total).toBe(0);
  });

  it('should expire every unheld point after 24 months without earning or redeeming', () => {
    const account = earnedAt(T0, 'p/R1', 1_000, INACTIVITY_ONLY);
    expect(account.expireLots(justBefore(LOT_EXPIRES), 'member', INACTIVITY_ONLY).entries).toEqual([]);
    const { entries } = account.expireLots(LOT_EXPIRES, 'member', INACTIVITY_ONLY);
    expect(entries).toEqual([
      expect.objectContaining({ type: 'expire', points: -1_000, cause: { kind: 'inactivity-expiry' } }),
    ]);
  });

  it('should restart the inactivity clock when the guest redeems', () => {
    const active = earnedAt(T0, 'p/R1', 1_000, INACTIVITY_ONLY).redeem(100, 'red', addMonths(T0, 12)).account;
    expect(active.expireLots(LOT_EXPIRES, 'member', INACTIVITY_ONLY).entries).toEqual([]);
    expect(active.expireLots(addMonths(T0, 36), 'member', INACTIVITY_ONLY).account.balances().total).toBe(0);
  });

  describe('when a member inactive for 30 months is credited points by hand', () => {
    const STAFF = { role: 'service', staffId: 'staff-7' } as const;
    const THIRTY_MONTHS = addMonths(T0, 30);
    const inactive = earnedAt(T0, 'p/R1', 1_000, INACTIVITY_ONLY).expireLots(
      LOT_EXPIRES,
      'member',
      INACTIVITY_ONLY,
    ).account;

    it('should keep a compensation when expiry runs the next day', () => {
      const compensated = inactive.adjust(
        { ...STAFF, points: 2_000, reason: 'Room not cleaned', complaintId: 'cmp-1' },
        POLICY.adjustmentCaps,
        INACTIVITY_ONLY,
        THIRTY_MONTHS,
      ).account;
      const { account, entries } = compensated.expireLots(at(1, THIRTY_MONTHS), 'member', INACTIVITY_ONLY);
      expect(entries).toEqual([]);
      expect(account.balances().available).toBe(2_000);
    });

    it('should keep points transferred in when expiry runs the next day', () => {
      const sender = accountWith(1_000, 'acc-2', THIRTY_MONTHS);
      const { transfer } = sender.transferOut(400, 'tr-1', inactive.id, STAFF, THIRTY_MONTHS);
      const received = inactive.transferIn(transfer, THIRTY_MONTHS).account;
      const { account } = received.expireLots(at(1, THIRTY_MONTHS), 'member', INACTIVITY_ONLY);
      expect(account.balances().available).toBe(400);
    });
  });

  it('should not restart the inactivity clock when points are taken off by adjustment', () => {
    const corrected = earnedAt(T0, 'p/R1', 1_000, INACTIVITY_ONLY).adjust(
      { points: -100, reason: 'Duplicate credit', role: 'service', staffId: 'staff-7' },
      POLICY.adjustmentCaps,
      INACTIVITY_ONLY,
      addMonths(T0, 12),
    ).account;
    expect(corrected.expireLots(LOT_EXPIRES, 'member', INACTIVITY_ONLY).account.balances().total).toBe(0);
  });

  it('should not let a zero-point stay count as activity', () => {
    const account = earnedAt(
      at(300),
      'p/OTA',
      0,
      INACTIVITY_ONLY,
      earnedAt(T0, 'p/R1', 1_000, INACTIVITY_ONLY),
    );
    expect(account.expireLots(LOT_EXPIRES, 'member', INACTIVITY_ONLY).account.balances().total).toBe(0);
  });

  it('should exempt elite tiers from inactivity expiry when configured', () => {
    const account = earnedAt(T0, 'p/R1', 1_000, INACTIVITY_ONLY);
    expect(account.expireLots(LOT_EXPIRES, 'gold', INACTIVITY_ONLY).entries).toEqual([]);
    expect(account.expireLots(LOT_EXPIRES, 'silver', INACTIVITY_ONLY).entries).toHaveLength(1);
  });
});

describe('expiringSoon', () => {
  const account = earnedAt(at(10), 'p/R2', 300, LOT_ONLY, earnedAt(T0, 'p/R1', 1_000, LOT_ONLY));

  it('should warn about a lot when it expires within the warning window, edge included', () => {
    const now = at(-30, LOT_EXPIRES);
    expect(account.expiringSoon(now, 30, 'member', LOT_ONLY)).toEqual([
      { reason: 'lot', expiresAt: LOT_EXPIRES, points: 1_000 },
    ]);
    expect(account.expiringSoon(justBefore(now), 30, 'member', LOT_ONLY)).toEqual([]);
  });

  it('should list each expiry date in order when several lots fall in the window', () => {
    expect(
      account.expiringSoon(at(-30, LOT_EXPIRES), 60, 'member', LOT_ONLY).map((notice) => notice.points),
    ).toEqual([1_000, 300]);
  });

  it('should warn about nothing when the tier is exempt', () => {
    expect(account.expiringSoon(at(-30, LOT_EXPIRES), 30, 'titanium', LOT_ONLY)).toEqual([]);
  });

  it('should warn about all unheld points when inactivity will expire them', () => {
    const inactive = earnedAt(T0, 'p/R1', 1_000, INACTIVITY_ONLY);
    expect(inactive.expiringSoon(at(-7, LOT_EXPIRES), 7, 'member', INACTIVITY_ONLY)).toEqual([
      { reason: 'inactivity', expiresAt: LOT_EXPIRES, points: 1_000 },
    ]);
  });
});

describe('lastActivityDueBy (what the expiry jobs select by)', () => {
  const TWO_YEARS = { months: 24, exemptTierIds: [] };
  const DAY_MS = 86_400_000;
  const LEAP_DAY = new Date('2024-02-29T12:00:00Z');

  it('should select a last activity on 29 February on the 28th two years on, when its deadline comes', () => {
    const runAt = new Date('2026-02-28T13:00:00Z');
    expect(inactivityDeadline(LEAP_DAY, TWO_YEARS).getTime()).toBeLessThanOrEqual(runAt.getTime());
    expect(LEAP_DAY.getTime()).toBeLessThanOrEqual(lastActivityDueBy(runAt, TWO_YEARS).getTime());
  });

  it('should select every last activity whose deadline has come, whatever the months and month ends', () => {
    const instant = fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 4 * DAY_MS }),
        (last, months, after) => {
          const rule = { months, exemptTierIds: [] };
          const runAt = new Date(inactivityDeadline(last, rule).getTime() + after);
          expect(last.getTime()).toBeLessThanOrEqual(lastActivityDueBy(runAt, rule).getTime());
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('should select the last day of a long month when the deadline is clamped to a short one', () => {
    // 31 May + 9 months is 28 Feb, and 28 Feb − 9 months is 28 May: three days off.
    const last = new Date('2025-05-31T23:00:00Z');
    const rule = { months: 9, exemptTierIds: [] };
    expect(last.getTime()).toBeLessThanOrEqual(
      lastActivityDueBy(inactivityDeadline(last, rule), rule).getTime(),
    );
  });
});
