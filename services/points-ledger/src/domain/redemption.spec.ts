import { LedgerAccount } from './account';
import { checkInvariants } from './invariants';
import { LedgerError, LedgerErrorCode } from './ledger-error';
import { accountWith, at, earned, POLICY, T0 } from './ledger.fixtures';

const MINUTE = 60_000;

function refusal(run: () => unknown): LedgerError {
  try {
    run();
  } catch (error) {
    if (error instanceof LedgerError) return error;
  }
  throw new Error('expected a LedgerError');
}

describe('redemption holds', () => {
  it('should move points to held and report when a hold is placed', () => {
    const { account, entries, events } = accountWith(1_000).hold(300, 'hold-1', 15, T0);
    expect(account.balances()).toMatchObject({ available: 700, held: 300, total: 1_000 });
    expect(entries).toEqual([]);
    expect(events).toEqual([
      { type: 'points-held', holdId: 'hold-1', points: 300, expiresAt: new Date(T0.getTime() + 15 * MINUTE) },
    ]);
    expect(checkInvariants(account)).toEqual([]);
  });

  it('should write the redeem entry when the hold is confirmed', () => {
    const held = accountWith(1_000).hold(300, 'hold-1', 15, T0).account;
    const { account, entries } = held.confirmHold('hold-1', at(0), 'order-9');
    expect(entries).toEqual([
      expect.objectContaining({
        type: 'redeem',
        points: -300,
        cause: { kind: 'redemption', holdId: 'hold-1', redemptionId: 'order-9' },
      }),
    ]);
    expect(account.balances()).toMatchObject({ available: 700, held: 0, total: 700 });
    expect(checkInvariants(account)).toEqual([]);
  });

  it('should name on the redeem entry who confirmed the hold, where, and for which reward', () => {
    const held = accountWith(1_000).hold(300, 'hold-1', 15, T0).account;
    const audit = {
      staffId: 'desk-7',
      role: 'front-desk' as const,
      propertyId: 'AMS01',
      reward: { kind: 'free-night', reference: 'RWD-FN-STD' },
    };
    const { entries } = held.confirmHold('hold-1', at(0), 'hold-1', audit);
    expect(entries[0].cause).toEqual({
      kind: 'redemption',
      holdId: 'hold-1',
      redemptionId: 'hold-1',
      ...audit,
    });
  });

  describe('who placed and who settled a hold', () => {
    const placer = { staffId: 'desk-7', role: 'front-desk' as const, propertyId: 'AMS01' };
    const settler = { staffId: 'manager-2', role: 'property-manager' as const, propertyId: 'LON02' };
    const held = () => accountWith(1_000).hold(300, 'hold-1', 15, T0, placer).account;
    const holdOf = (account: LedgerAccount) => account.toSnapshot().holds[0];

    it('should keep on the hold who placed it and where', () => {
      expect(holdOf(held())).toMatchObject({ state: 'open', placedBy: placer });
      expect(holdOf(held())).not.toHaveProperty('settledBy');
    });

    it('should keep who confirmed it and where, without the reward the entry names', () => {
      const audit = { ...settler, reward: { kind: 'free-night', reference: 'RWD-FN-STD' } };
      const { account } = held().confirmHold('hold-1', at(0), 'hold-1', audit);
      expect(holdOf(account)).toMatchObject({ state: 'confirmed', placedBy: placer });
      expect(holdOf(account).settledBy).toEqual(settler);
    });

    it('should keep who released it and where', () => {
      const { account } = held().releaseHold('hold-1', at(0), settler);
      expect(holdOf(account)).toMatchObject({ state: 'released', placedBy: placer, settledBy: settler });
    });

    it('should name no one as settling a hold that expired', () => {
      const { account } = held().expireHolds(new Date(T0.getTime() + 15 * MINUTE));
      expect(holdOf(account)).toMatchObject({ state: 'expired', placedBy: placer });
      expect(holdOf(account)).not.toHaveProperty('settledBy');
    });
  });

  it('should give the points back without an entry when the hold is released', () => {
    const held = accountWith(1_000).hold(300, 'hold-1', 15, T0).account;
    const { account, entries, events } = held.releaseHold('hold-1', T0);
    expect(entries).toEqual([]);
    expect(events).toEqual([{ type: 'hold-released', holdId: 'hold-1', points: 300, reason: 'released' }]);
    expect(account.balances()).toMatchObject({ available: 1_000, held: 0 });
    expect(() => account.confirmHold('hold-1', T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.HOLD_NOT_OPEN }),
    );
  });

  it('should accept a confirmation one millisecond before the TTL and refuse it at the TTL', () => {
    const held = accountWith(1_000).hold(300, 'hold-1', 15, T0).account;
    const ttlEnd = T0.getTime() + 15 * MINUTE;
    expect(held.confirmHold('hold-1', new Date(ttlEnd - 1)).account.balances().total).toBe(700);
    expect(refusal(() => held.confirmHold('hold-1', new Date(ttlEnd))).code).toBe(
      LedgerErrorCode.HOLD_EXPIRED,
    );
  });

  it('should release holds past their TTL when expireHolds runs, and leave younger ones', () => {
    const held = accountWith(1_000).hold(300, 'old', 15, T0).account.hold(200, 'young', 60, T0).account;
    const { account, events } = held.expireHolds(new Date(T0.getTime() + 15 * MINUTE));
    expect(events).toEqual([{ type: 'hold-released', holdId: 'old', points: 300, reason: 'expired' }]);
    expect(account.balances()).toMatchObject({ available: 800, held: 200 });
    expect(account.toSnapshot().holds.map((hold) => hold.state)).toEqual(['expired', 'open']);
  });

  it('should report the shortfall when there are not enough available points', () => {
    const error = refusal(() => accountWith(1_000).hold(1_250, 'hold-1', 15, T0));
    expect(error.code).toBe(LedgerErrorCode.INSUFFICIENT_POINTS);
    expect(error.shortfall).toBe(250);
    expect(error.details).toMatchObject({ requested: 1_250, available: 1_000 });
  });

  it('should not spend pending points when the lock period is still running', () => {
    const account = LedgerAccount.open('acc-1', 'g', T0).earn(
      earned('p/R1', 1_000),
      'evt',
      POLICY,
      T0,
    ).account;
    expect(refusal(() => account.redeem(1, 'r', at(2))).shortfall).toBe(1);
    expect(account.redeem(1_000, 'r', at(3)).account.balances().total).toBe(0);
  });

  it('should spend the lots that expire soonest first, splitting the last one', () => {
    let account = LedgerAccount.open('acc-1', 'g', T0);
    account = account.earn(earned('p/LATE', 500, at(-10, at(40))), 'e1', POLICY, at(40)).account;
    account = account.earn(earned('p/EARLY', 300, at(-10)), 'e2', POLICY, T0).account;
    const { account: after } = account.redeem(400, 'r', at(41));
    const live = after.toSnapshot().lots.filter((lot) => lot.state === 'available');
    expect(live).toEqual([expect.objectContaining({ stayKey: 'p/LATE', points: 400 })]);
    expect(
      after
        .toSnapshot()
        .lots.filter((lot) => lot.state === 'consumed')
        .map((lot) => [lot.stayKey, lot.points]),
    ).toEqual([
      ['p/EARLY', 300],
      ['p/LATE', 100],
    ]);
    expect(checkInvariants(after)).toEqual([]);
  });

  it('should refuse a hold id when it is used twice, and a hold when it does not exist', () => {
    const held = accountWith(1_000).hold(100, 'hold-1', 15, T0).account;
    expect(refusal(() => held.hold(100, 'hold-1', 15, T0)).code).toBe(LedgerErrorCode.DUPLICATE_HOLD);
    expect(refusal(() => held.confirmHold('nope', T0)).code).toBe(LedgerErrorCode.HOLD_NOT_FOUND);
    expect(refusal(() => held.releaseHold('nope', T0)).code).toBe(LedgerErrorCode.HOLD_NOT_FOUND);
  });

  it('should let a suspended account release a hold but not confirm it', () => {
    const suspended = accountWith(1_000).hold(100, 'hold-1', 15, T0).account.suspend('review', T0).account;
    expect(refusal(() => suspended.confirmHold('hold-1', T0)).code).toBe(LedgerErrorCode.ACCOUNT_SUSPENDED);
    expect(suspended.releaseHold('hold-1', T0).account.balances().available).toBe(1_000);
  });

  it.each([0, -5, 1.5, Number.NaN])('should refuse a redemption of %p points', (points) => {
    expect(refusal(() => accountWith(1_000).redeem(points, 'r', T0)).code).toBe(
      LedgerErrorCode.INVALID_ARGUMENT,
    );
  });
});
