import { LedgerAccount } from './account';
import { checkInvariants } from './invariants';
import { LedgerErrorCode } from './ledger-error';
import { addDays, addMonths } from './calendar';
import { accountWith, at, earned, POLICY, share, T0 } from './ledger.fixtures';

describe('transfer', () => {
  const sender = accountWith(1_000, 'acc-a');
  const receiver = accountWith(0, 'acc-b');
  const BY = { staffId: 'staff-7', role: 'front-desk' } as const;

  it('should record the transfer and the staff member who made it on both sides when points move between members', () => {
    const out = sender.transferOut(400, 'tr-1', 'acc-b', BY, T0);
    const into = receiver.transferIn(out.transfer, T0);
    expect(out.entries).toEqual([
      expect.objectContaining({
        type: 'transfer',
        points: -400,
        cause: { kind: 'transfer', transferId: 'tr-1', counterpartyAccountId: 'acc-b', ...BY },
      }),
    ]);
    expect(into.entries).toEqual([
      expect.objectContaining({
        type: 'transfer',
        points: 400,
        cause: { kind: 'transfer', transferId: 'tr-1', counterpartyAccountId: 'acc-a', ...BY },
      }),
    ]);
    expect(out.account.balances().total + into.account.balances().total).toBe(1_000);
    expect(checkInvariants(out.account)).toEqual([]);
    expect(checkInvariants(into.account)).toEqual([]);
  });

  it('should carry each lot expiry across when points are transferred', () => {
    const out = sender.transferOut(400, 'tr-1', 'acc-b', BY, T0);
    const sentExpiry = sender.toSnapshot().lots[0].expiresAt;
    const lots = receiver.transferIn(out.transfer, at(5)).account.toSnapshot().lots;
    expect(lots).toEqual([
      expect.objectContaining({ points: 400, state: 'available', expiresAt: sentExpiry }),
    ]);
  });

  it('should send lots past their expiry, which an exempt tier keeps, only when the sender has no others', () => {
    const earnedAt = addDays(T0, -5);
    const exempt = LedgerAccount.open('acc-p', 'guest-p', addDays(T0, -30)).earn(
      earned('grand-paris/R1', 5_000, earnedAt),
      'e-1',
      POLICY,
      T0,
    ).account;
    const later = addMonths(T0, 30);
    // Platinum keeps the lot past its expiry; a fresh stay then brings a lot of the same size.
    const kept = exempt.expireLots(later, 'platinum', POLICY).account;
    const overdueExpiry = kept.toSnapshot().lots[0].expiresAt as Date;
    expect(overdueExpiry.getTime()).toBeLessThan(later.getTime());
    const both = kept.earn(earned('grand-paris/R2', 5_000, addDays(later, -5)), 'e-2', POLICY, later).account;

    const first = both.transferOut(5_000, 'tr-1', 'acc-b', BY, later);
    expect(first.transfer.lots.map((lot) => lot.expiresAt?.getTime())).not.toContain(overdueExpiry.getTime());
    const second = first.account.transferOut(5_000, 'tr-2', 'acc-b', BY, later);
    expect(second.transfer.lots).toEqual([{ points: 5_000, expiresAt: overdueExpiry }]);
  });

  it('should ignore a transfer when it is received twice', () => {
    const { transfer } = sender.transferOut(400, 'tr-1', 'acc-b', BY, T0);
    const once = receiver.transferIn(transfer, T0).account;
    const twice = once.transferIn(transfer, T0);
    expect(twice.entries).toEqual([]);
    expect(twice.events).toEqual([{ type: 'transfer-already-received', transferId: 'tr-1' }]);
  });

  it('should refuse when the sender lacks points, is suspended, or sends to itself', () => {
    expect(() => sender.transferOut(1_001, 'tr', 'acc-b', BY, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.INSUFFICIENT_POINTS }),
    );
    expect(() => sender.transferOut(1, 'tr', 'acc-a', BY, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.SELF_TRANSFER }),
    );
    const suspended = sender.suspend('review', T0).account;
    expect(() => suspended.transferOut(1, 'tr', 'acc-b', BY, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.ACCOUNT_SUSPENDED }),
    );
  });

  it('should refuse a transfer when it is addressed to another account', () => {
    const { transfer } = sender.transferOut(400, 'tr-1', 'acc-c', BY, T0);
    expect(() => receiver.transferIn(transfer, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.INVALID_ARGUMENT }),
    );
  });

  it('should pay the receiver clawback first when the receiver owes some', () => {
    const owing = LedgerAccount.open('acc-b', 'g', T0)
      .earn(earned('p/R1', 500, at(-5)), 'e', POLICY, T0)
      .account.redeem(500, 'r', T0)
      .account.reverse('p/R1', share(1, 1), 'refund', T0).account;
    const { transfer } = sender.transferOut(400, 'tr-1', 'acc-b', BY, T0);
    expect(owing.transferIn(transfer, T0).account.balances()).toMatchObject({ total: 0, clawbackOwed: 100 });
  });
});
