import { LedgerAccount } from './account';
import { checkInvariants } from './invariants';
import { LedgerErrorCode } from './ledger-error';
import { accountWith, at, earned, POLICY, share, T0 } from './ledger.fixtures';

const LOCK_ENDS = at(3);

describe('LedgerAccount earning', () => {
  const fresh = LedgerAccount.open('acc-1', 'guest-1', at(-1));

  it('should credit a pending lot until the lock period after checkout ends', () => {
    const { account, entries, events } = fresh.earn(earned('grand-paris/R1', 1_000), 'evt-1', POLICY, T0);
    expect(entries).toEqual([
      expect.objectContaining({
        id: 'acc-1:1',
        type: 'earn',
        points: 1_000,
        cause: { kind: 'stay', stayKey: 'grand-paris/R1', sourceEventId: 'evt-1' },
      }),
    ]);
    expect(account.balances()).toMatchObject({
      pending: 1_000,
      available: 0,
      total: 1_000,
      lifetimeEarned: 1_000,
    });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'points-earned', state: 'pending', availableAt: LOCK_ENDS }),
    );
    expect(checkInvariants(account)).toEqual([]);
  });

  it('should keep the lot pending one millisecond before the lock ends and release it at the lock end', () => {
    const { account } = fresh.earn(earned('grand-paris/R1', 1_000), 'evt-1', POLICY, T0);
    expect(account.releasePendingLots(new Date(LOCK_ENDS.getTime() - 1)).account.balances().pending).toBe(
      1_000,
    );
    const released = account.releasePendingLots(LOCK_ENDS);
    expect(released.account.balances()).toMatchObject({ pending: 0, available: 1_000 });
    expect(released.events).toEqual([expect.objectContaining({ type: 'points-available', points: 1_000 })]);
    expect(released.entries).toEqual([]);
  });

  it('should credit straight to available when the stay is reported after the lock period', () => {
    const { account } = fresh.earn(earned('grand-paris/R1', 1_000, at(-5)), 'evt-1', POLICY, T0);
    expect(account.balances()).toMatchObject({ pending: 0, available: 1_000 });
  });

  it('should ignore a stay when it arrives twice, even under another event id', () => {
    const first = fresh.earn(earned('grand-paris/R1', 1_000), 'evt-1', POLICY, T0).account;
    const again = first.earn(earned('grand-paris/R1', 1_200), 'evt-2', POLICY, at(1));
    expect(again.entries).toEqual([]);
    expect(again.events).toEqual([{ type: 'stay-already-credited', stayKey: 'grand-paris/R1' }]);
    expect(again.account.balances().total).toBe(1_000);
    expect(again.account.hasCreditedStay('grand-paris/R1')).toBe(true);
  });

  it('should record a zero entry and no lot when the stay earned nothing, so a re-delivery is still recognised', () => {
    const { account, entries } = fresh.earn(earned('grand-paris/OTA', 0), 'evt-1', POLICY, T0);
    expect(entries).toEqual([expect.objectContaining({ type: 'earn', points: 0 })]);
    expect(account.toSnapshot().lots).toEqual([]);
    expect(account.earn(earned('grand-paris/OTA', 0), 'evt-2', POLICY, T0).entries).toEqual([]);
    expect(checkInvariants(account)).toEqual([]);
  });

  it('should never change the account it was called on when an operation succeeds or fails', () => {
    const before = accountWith(500);
    const snapshot = before.toSnapshot();
    before.redeem(200, 'red-1', T0);
    expect(() => before.redeem(600, 'red-2', T0)).toThrow();
    expect(before.toSnapshot()).toBe(snapshot);
    expect(before.balances().available).toBe(500);
    expect(Object.isFrozen(snapshot.entries)).toBe(true);
  });
});

describe('LedgerAccount paying the milestones a nights correction crossed', () => {
  const STAY = 'grand-paris/R1';
  const MILESTONE = { id: 'every-10-nights-from-40', threshold: 40, points: 10_000 };
  const credited = accountWith(0).earn(earned(STAY, 1_000, at(-5)), 'evt-stay', POLICY, T0).account;

  it('should credit them as an earn of the stay, pending from when the correction was posted', () => {
    const { account, entries, events } = credited.payCorrectionMilestones(
      STAY,
      [MILESTONE],
      'evt-correction',
      at(1),
      POLICY,
      at(2),
    );
    expect(entries).toEqual([
      expect.objectContaining({
        type: 'earn',
        points: 10_000,
        cause: { kind: 'stay-adjustment', stayKey: STAY, sourceEventId: 'evt-correction' },
        earn: { basePoints: 0, tierBonus: 0, promotions: [], milestones: [MILESTONE] },
      }),
    ]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'points-earned', state: 'pending', availableAt: at(1 + 3) }),
    );
    expect(account.balances()).toMatchObject({ available: 1_000, pending: 10_000 });
    expect(checkInvariants(account)).toEqual([]);
  });

  it('should keep them when the stay is refunded, as it keeps the milestones paid with the stay', () => {
    const paid = credited.payCorrectionMilestones(STAY, [MILESTONE], 'evt', at(1), POLICY, at(2)).account;
    expect(paid.reverse(STAY, share(1, 1), 'evt-refund', at(3)).account.balances().total).toBe(10_000);
  });

  it('should refuse them for a stay the account never credited', () => {
    expect(() => credited.payCorrectionMilestones('p/OTHER', [MILESTONE], 'evt', T0, POLICY, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.STAY_NOT_CREDITED }),
    );
  });
});

describe('LedgerAccount status', () => {
  it('should refuse to earn or spend when the account is suspended', () => {
    const suspended = accountWith(500).suspend('fraud review', T0).account;
    expect(suspended.status).toBe('suspended');
    expect(() => suspended.earn(earned('p/R9', 100), 'evt', POLICY, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.ACCOUNT_SUSPENDED }),
    );
    expect(() => suspended.redeem(100, 'red', T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.ACCOUNT_SUSPENDED }),
    );
    expect(() => suspended.hold(100, 'h', 15, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.ACCOUNT_SUSPENDED }),
    );
    expect(
      suspended.reactivate('cleared', T0).account.redeem(100, 'red', T0).account.balances().available,
    ).toBe(400);
  });

  it('should report each status change when the status moves', () => {
    const { events } = accountWith(0).suspend('fraud review', T0);
    expect(events).toEqual([
      { type: 'account-status-changed', from: 'active', to: 'suspended', reason: 'fraud review' },
    ]);
  });

  it('should refuse to close an account when it still holds points', () => {
    expect(() => accountWith(1).close('guest request', T0, 0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.ACCOUNT_NOT_EMPTY }),
    );
  });

  it('should refuse to close an empty account while stay adjustments are parked for it, saying how many and what to do', () => {
    const suspended = accountWith(0).suspend('fraud review', T0).account;
    const refusal = () => suspended.close('fraud confirmed', T0, 2);
    expect(refusal).toThrow(
      expect.objectContaining({
        code: LedgerErrorCode.ADJUSTMENTS_PARKED,
        details: { parkedAdjustments: 2 },
        message: expect.stringContaining('2 stay adjustments parked'),
      }),
    );
    expect(refusal).toThrow(/reactivate the account to apply them/);
    expect(() => accountWith(0).close('guest request', T0, 1)).toThrow(
      /1 stay adjustment parked.*wait for the apply-parked-adjustments job to apply it/,
    );
  });

  it('should refuse a close for parked adjustments first when the account holds points too', () => {
    expect(() => accountWith(1).close('guest request', T0, 1)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.ADJUSTMENTS_PARKED }),
    );
  });

  it('should close an empty suspended account with nothing parked, and change nothing closing it again', () => {
    const closed = accountWith(0).suspend('fraud review', T0).account.close('fraud confirmed', T0, 0);
    expect(closed.events).toEqual([
      { type: 'account-status-changed', from: 'suspended', to: 'closed', reason: 'fraud confirmed' },
    ]);
    expect(closed.account.close('again', T0, 1).events).toEqual([]);
  });

  it('should refuse every change when the account is closed', () => {
    const closed = accountWith(0).close('guest request', T0, 0).account;
    expect(closed.status).toBe('closed');
    expect(() => closed.earn(earned('p/R1', 1), 'evt', POLICY, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.ACCOUNT_CLOSED }),
    );
    expect(() => closed.suspend('x', T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.ACCOUNT_CLOSED }),
    );
  });
});
