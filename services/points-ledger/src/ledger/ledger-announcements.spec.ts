import { endOfYear } from '../domain';
import { accountWith, at, earned, POLICY, share, T0 } from '../domain/ledger.fixtures';
import { announcementsOf, tierAnnouncement } from './ledger-announcements';

describe('announcementsOf: the order of balances', () => {
  it("should number each balance with the sequence of the account's last entry, which grows with every transaction, also at one instant", () => {
    const context = { guestId: 'acc-a', reward: { kind: 'free-night', reference: 'RWD-FN-STD' } } as const;
    const balanceOf = (change: Parameters<typeof announcementsOf>[0]) =>
      announcementsOf(change, context).map(({ data }) => ({
        balanceAfter: (data as { balanceAfter: number }).balanceAfter,
        balanceSequence: (data as { balanceSequence: number }).balanceSequence,
      }));
    const account = accountWith(1_000, 'acc-a');
    const redeemed = account.redeem(400, 'redemption-1', at(1));
    const redeemedAgain = redeemed.account.redeem(100, 'redemption-2', at(1));
    const merged = redeemedAgain.account.mergeFrom(accountWith(700, 'acc-b'), at(1));

    const [first, second, third] = [redeemed, redeemedAgain, merged].map(balanceOf);
    expect(first).toEqual([{ balanceAfter: 600, balanceSequence: 2 }]);
    expect(second).toEqual([{ balanceAfter: 500, balanceSequence: 3 }]);
    expect(third[0].balanceAfter).toBe(1_200);
    expect(third[0].balanceSequence).toBeGreaterThan(3);
  });
});

describe('announcementsOf a merge', () => {
  it('should announce the points brought in as a system adjustment on the survivor, with its new balance', () => {
    const merge = accountWith(1_000, 'acc-a').mergeFrom(accountWith(700, 'acc-b'), at(1));
    expect(announcementsOf(merge, { guestId: 'acc-a' })).toEqual([
      {
        type: 'points-adjusted',
        data: expect.objectContaining({
          guestId: 'acc-a',
          pointsDelta: 700,
          balanceAfter: 1_700,
          adjustedBy: 'system',
          reason: 'Merged from another profile',
        }),
      },
    ]);
  });

  it('should announce nothing when the merged account brings no points', () => {
    const merge = accountWith(1_000, 'acc-a').mergeFrom(accountWith(0, 'acc-b'), at(1));
    expect(announcementsOf(merge, { guestId: 'acc-a' })).toEqual([]);
  });

  it('should announce the milestones the combined counts crossed as points earned by the milestone, with no stay', () => {
    const paid = accountWith(1_000, 'acc-a').payMergeMilestones(
      'acc-b',
      [{ id: 'every-10-nights-from-40', threshold: 40, points: 10_000 }],
      POLICY,
      at(1),
    );
    expect(announcementsOf(paid, { guestId: 'acc-a' })).toEqual([
      {
        type: 'points-earned',
        data: expect.objectContaining({
          guestId: 'acc-a',
          points: 10_000,
          balanceAfter: 11_000,
          source: { kind: 'promotion', reference: 'every-10-nights-from-40' },
        }),
      },
    ]);
  });

  it('should name the merge as the reason of a tier the merged account brought', () => {
    const change = {
      from: 'member',
      to: 'gold',
      reason: 'merged',
      validUntil: endOfYear(2027),
      at: T0,
    } as const;
    expect(tierAnnouncement('acc-a', change)).toEqual({
      type: 'tier-changed',
      data: {
        guestId: 'acc-a',
        from: 'member',
        to: 'gold',
        reason: 'guest-merged',
        validUntil: endOfYear(2027).toISOString(),
        changedAt: T0.toISOString(),
      },
    });
  });
});

describe('announcementsOf a confirmed hold', () => {
  const confirmed = accountWith(5_000)
    .hold(1_000, 'hold-1', 15, T0)
    .account.confirmHold('hold-1', T0, 'hold-1');

  it('should refuse to make up a reward when none was given', () => {
    expect(() => announcementsOf(confirmed, { guestId: 'g', propertyId: 'AMS01' })).toThrow(
      'announced without its reward',
    );
  });
});

describe('announcementsOf clawback settled', () => {
  // 2,500 points earned by one stay, all held for a reward; a fifth of the stay refunded meanwhile cannot
  // touch held points, so its 500 points are owed.
  const owingWhileHeld = () =>
    accountWith(0, 'acc-a')
      .earn(earned('p/S1', 2_500, at(-10)), 'evt-stay', POLICY, T0)
      .account.hold(2_500, 'hold-1', 15, T0)
      .account.reverse('p/S1', share(1, 5), 'evt-refund', T0).account;

  const settledAdjustment = (pointsDelta: number, balanceAfter: number) => ({
    type: 'points-adjusted',
    data: expect.objectContaining({
      guestId: 'acc-a',
      pointsDelta,
      balanceAfter,
      adjustedBy: 'system',
      reason: 'Points owed from an earlier refund settled',
    }),
  });

  it('should announce the clawback a released hold settles as a system adjustment, with the balance after it', () => {
    const owing = owingWhileHeld();
    expect(owing.balances()).toMatchObject({ total: 2_500, clawbackOwed: 500 });

    const released = owing.releaseHold('hold-1', at(1));

    expect(released.account.balances()).toMatchObject({ total: 2_000, clawbackOwed: 0 });
    expect(announcementsOf(released, { guestId: 'acc-a' })).toEqual([settledAdjustment(-500, 2_000)]);
  });

  it('should announce the clawback an expired hold settles', () => {
    const expired = owingWhileHeld().expireHolds(at(1));
    expect(announcementsOf(expired, { guestId: 'acc-a' })).toEqual([settledAdjustment(-500, 2_000)]);
  });

  it("should announce the clawback a merge bringing no points settles from the survivor's points", () => {
    const owing = accountWith(0, 'acc-b')
      .earn(earned('p/B1', 1_000, at(-5)), 'evt-b', POLICY, T0)
      .account.redeem(1_000, 'redemption-b', T0)
      .account.reverse('p/B1', share(1, 1), 'evt-refund-b', T0).account;

    const merge = accountWith(3_000, 'acc-a').mergeFrom(owing, at(1));

    expect(merge.account.balances()).toMatchObject({ total: 2_000, clawbackOwed: 0 });
    expect(announcementsOf(merge, { guestId: 'acc-a' })).toEqual([settledAdjustment(-1_000, 2_000)]);
  });

  it('should leave clawback an earning settles to the earning, whose balance after says so', () => {
    const earning = owingWhileHeld()
      .confirmHold('hold-1', T0)
      .account.earn(earned('p/S2', 800, at(-2)), 'evt-stay-2', POLICY, T0);

    const announced = announcementsOf(earning, { guestId: 'acc-a' });

    expect(announced.map(({ type }) => type)).toEqual(['points-earned']);
    expect(announced[0].data).toMatchObject({ points: 800, balanceAfter: 300 });
  });
});
