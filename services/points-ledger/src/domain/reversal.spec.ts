import { LedgerAccount } from './account';
import { addMonths } from './calendar';
import { checkInvariants } from './invariants';
import { LedgerErrorCode } from './ledger-error';
import { accountWith, at, earned, POLICY, share, T0, withBonuses } from './ledger.fixtures';
import type { TopUpResult } from './stay-top-up';

const STAY = 'grand-paris/R1';

/** An account that earned 1,000 points (800 base) for STAY, already available. */
const withStay = (extra = 0): LedgerAccount => {
  const base = extra > 0 ? accountWith(extra) : LedgerAccount.open('acc-1', 'g', at(-30));
  return base.earn(earned(STAY, 1_000, at(-5), 800), 'evt-stay', POLICY, T0).account;
};

/** A top-up as the ledger booked it before top-ups recorded their revenue: no `stayRevenueMinor`. */
const bookedBeforeRevenueWasRecorded = (topUp: Omit<TopUpResult, 'stayRevenueMinor'>): TopUpResult =>
  topUp as TopUpResult;

/**
 * Revenue added to STAY after it was credited: 400 points more, booked before top-ups recorded their
 * revenue, so refunds of the stay keep the proportional rule.
 */
const LATE_CHARGE = bookedBeforeRevenueWasRecorded({
  stayKey: STAY,
  qualifyingRevenue: { amountMinor: 0, currency: 'USD' },
  basePoints: 400,
  tierBonus: 0,
  total: 400,
});

describe('reverse (stay-adjusted)', () => {
  it('should reverse the proportion of the stay from its own lot when the points are unspent', () => {
    const { account, entries, events } = withStay(500).reverse(STAY, share(1, 4), 'evt-refund', at(1));
    expect(entries).toEqual([
      expect.objectContaining({
        type: 'reverse',
        points: -250,
        cause: {
          kind: 'stay-adjustment',
          stayKey: STAY,
          earnEntryId: 'acc-1:2',
          sourceEventId: 'evt-refund',
        },
      }),
    ]);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'points-reversed',
        reversed: 250,
        debited: 250,
        clawbackCreated: 0,
        qualifyingBasePointsReversed: 200,
      }),
    ]);
    const stayLots = account
      .toSnapshot()
      .lots.filter((lot) => lot.stayKey === STAY && lot.state === 'available');
    expect(stayLots.map((lot) => lot.points)).toEqual([750]);
    expect(account.balances().total).toBe(1_250);
  });

  it('should reverse the stay and its top-up in the same proportion when the top-up records no revenue (booked before it was recorded)', () => {
    const toppedUp = withStay().topUpStay(LATE_CHARGE, 'evt-late-charge', at(-1), POLICY, T0);
    expect(toppedUp.entries).toEqual([
      expect.objectContaining({
        type: 'earn',
        points: 400,
        cause: expect.objectContaining({ kind: 'stay-adjustment', stayKey: STAY }),
      }),
    ]);
    const { account, entries, events } = toppedUp.account.reverse(STAY, share(1, 2), 'evt-refund', at(1));
    expect(entries.map((entry) => [entry.points, entry.cause.earnEntryId])).toEqual([
      [-500, 'acc-1:1'],
      [-200, 'acc-1:2'],
    ]);
    expect(
      events.map((event) => event.type === 'points-reversed' && event.qualifyingBasePointsReversed),
    ).toEqual([400, 200]);
    expect(account.balances().total).toBe(700);
  });

  it('should keep the invariants when a credited stay is topped up and the top-up partly refunded', () => {
    const toppedUp = withStay().topUpStay(LATE_CHARGE, 'evt-late-charge', at(-1), POLICY, T0).account;
    expect(checkInvariants(toppedUp)).toEqual([]);
    expect(checkInvariants(toppedUp.reverse(STAY, share(1, 2), 'evt-refund', at(1)).account)).toEqual([]);
  });

  it('should refuse a top-up of a stay the account never credited', () => {
    const topUp = {
      stayKey: 'other/R9',
      qualifyingRevenue: { amountMinor: 100, currency: 'USD' },
      stayRevenueMinor: 100,
      basePoints: 10,
      tierBonus: 0,
      total: 10,
    };
    expect(() => withStay().topUpStay(topUp, 'evt', T0, POLICY, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.STAY_NOT_CREDITED }),
    );
  });

  it('should refuse a top-up with points on a suspended account, and take one of none, as it takes a refund', () => {
    const suspended = withStay().suspend('fraud review', T0).account;
    expect(() => suspended.topUpStay(LATE_CHARGE, 'evt', T0, POLICY, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.ACCOUNT_SUSPENDED }),
    );
    const nothingEarned = { ...LATE_CHARGE, basePoints: 0, total: 0 };
    const { account, entries } = suspended.topUpStay(nothingEarned, 'evt', T0, POLICY, T0);
    expect(entries).toEqual([]);
    expect(account.balances().total).toBe(1_000);
  });

  it('should refuse even a top-up of no points on a closed account', () => {
    const refunded = withStay().reverse(STAY, share(1, 1), 'evt-refund', T0).account;
    const closed = refunded.close('fraud confirmed', T0, 0).account;
    expect(() =>
      closed.topUpStay({ ...LATE_CHARGE, basePoints: 0, total: 0 }, 'evt', T0, POLICY, T0),
    ).toThrow(expect.objectContaining({ code: LedgerErrorCode.ACCOUNT_CLOSED }));
  });

  it('should round a fractional reversal half-up to whole points', () => {
    const account = LedgerAccount.open('acc-1', 'g', T0).earn(earned(STAY, 999), 'evt', POLICY, T0).account;
    expect(account.reverse(STAY, share(1, 2), 'evt-r', T0).entries[0].points).toBe(-500);
  });

  it('should round an exact half up when the share of revenue refunded has no exact binary quotient', () => {
    // 35.00 of 100.00 refunded: 650 × 3,500 / 10,000 is 227.5, which 650 × 0.35 in floating point is not.
    const account = LedgerAccount.open('acc-1', 'g', T0).earn(earned(STAY, 650), 'evt', POLICY, T0).account;
    expect(account.reverse(STAY, share(3_500, 10_000), 'evt-r', T0).entries[0].points).toBe(-228);
  });

  it('should reverse the share of what is left when a stay is refunded again, and nothing once all is back', () => {
    const first = withStay().reverse(STAY, share(3, 5), 'r1', T0).account;
    const second = first.reverse(STAY, share(3, 5), 'r2', T0);
    expect(second.entries[0].points).toBe(-240);
    const rest = second.account.reverse(STAY, share(1, 1), 'r3', T0);
    expect(rest.entries[0].points).toBe(-160);
    expect(rest.account.reverse(STAY, share(1, 1), 'r4', T0).entries).toEqual([]);
    expect(checkInvariants(rest.account)).toEqual([]);
  });

  it.each([
    // A top-up booked before top-ups recorded their revenue: each entry gives back three quarters of what it has.
    ['in proportion, when the top-up records no revenue', undefined, [-375, -375]],
    // Newest first: the top-up's 50.00 (all its 500 points), then 25.00 of the stay's 50.00 left (250 of 500).
    ['newest first, when the top-up records its revenue', 5_000, [-500, -250]],
  ])(
    'should leave nothing of a stay when it is refunded in part, charged again, then refunded of the rest (%s)',
    (_, stayRevenueMinor, most3of4) => {
      // Earned 1,000 on 100.00; 50.00 refunded; 50.00 charged later (top-up of 500); the 100.00 left refunded.
      const halved = withStay().reverse(STAY, share(1, 2), 'r1', T0).account;
      const charged = {
        stayKey: STAY,
        qualifyingRevenue: { amountMinor: 5_000, currency: 'USD' },
        basePoints: 400,
        tierBonus: 100,
        total: 500,
      };
      const topUp =
        stayRevenueMinor === undefined
          ? bookedBeforeRevenueWasRecorded(charged)
          : { ...charged, stayRevenueMinor };
      const toppedUp = halved.topUpStay(topUp, 'evt-late-charge', T0, POLICY, T0).account;
      // Three quarters of what is left (75.00 of 100.00) first.
      const most = toppedUp.reverse(STAY, share(7_500, 10_000), 'r2', at(1));
      expect(most.entries.map((entry) => entry.points)).toEqual(most3of4);
      const { account, events } = most.account.reverse(STAY, share(1, 1), 'r3', at(2));
      expect(account.balances()).toMatchObject({ total: 0, clawbackOwed: 0 });
      const basePointsBack = [...most.events, ...events].reduce(
        (sum, event) => (event.type === 'points-reversed' ? sum + event.qualifyingBasePointsReversed : sum),
        0,
      );
      // 800 + 400 base points credited, 400 of them taken back by the first refund.
      expect(basePointsBack).toBe(800);
    },
  );

  describe('when top-ups record their revenue (a refund takes the newest revenue first)', () => {
    /** Revenue added to STAY (100.00 of stay revenue, 1,000 points) later: `revenue` more at `points`. */
    const charge = (stayRevenueMinor: number, basePoints: number, tierBonus = 0): TopUpResult => ({
      stayKey: STAY,
      qualifyingRevenue: { amountMinor: stayRevenueMinor, currency: 'USD' },
      stayRevenueMinor,
      basePoints,
      tierBonus,
      total: basePoints + tierBonus,
    });
    /** STAY topped up by each charge in turn, a minute apart. */
    const toppedUp = (...charges: TopUpResult[]): LedgerAccount =>
      charges.reduce(
        (account, topUp, i) => account.topUpStay(topUp, `evt-charge-${i}`, at(i), POLICY, at(i)).account,
        withStay(),
      );

    it("should give back all of the voided charge's points and record the revenue taken from it", () => {
      const account = toppedUp(charge(5_000, 500, 375));
      const { entries, events } = account.reverse(STAY, share(5_000, 15_000), 'evt-void', at(5));
      expect(entries).toEqual([
        expect.objectContaining({
          type: 'reverse',
          points: -875,
          cause: {
            kind: 'stay-adjustment',
            stayKey: STAY,
            earnEntryId: 'acc-1:2',
            sourceEventId: 'evt-void',
            stayRevenueMinor: 5_000,
          },
        }),
      ]);
      expect(events).toEqual([
        expect.objectContaining({
          type: 'points-reversed',
          reversed: 875,
          qualifyingBasePointsReversed: 500,
        }),
      ]);
    });

    it('should keep to the proportional rule while any top-up of the stay with points left records no revenue', () => {
      const account = toppedUp(LATE_CHARGE, charge(5_000, 500));
      // 1,000 + 400 + 500, each giving back a fifth of what it has.
      const { entries } = account.reverse(STAY, share(4_000, 20_000), 'evt-refund', at(5));
      expect(entries.map((entry) => [entry.points, entry.cause.stayRevenueMinor])).toEqual([
        [-200, undefined],
        [-80, undefined],
        [-100, undefined],
      ]);
    });

    it('should keep to the proportional rule for a top-up a refund took from without recording how much', () => {
      // As a pod of the release before this rule would have written the first refund's reversal.
      const refunded = toppedUp(charge(5_000, 500)).reverse(STAY, share(2_500, 15_000), 'r1', at(5)).account;
      const snapshot = refunded.toSnapshot();
      const unrecorded = LedgerAccount.restore({
        ...snapshot,
        entries: snapshot.entries.map((entry) => ({
          ...entry,
          cause: { ...entry.cause, stayRevenueMinor: undefined },
        })),
      });
      // 5,000 of the 12,500 left: two fifths of the 1,000 and of the 250 left of the top-up.
      const { entries } = unrecorded.reverse(STAY, share(5_000, 12_500), 'r2', at(6));
      expect(entries.map((entry) => [entry.points, entry.cause.earnEntryId])).toEqual([
        [-400, 'acc-1:1'],
        [-100, 'acc-1:2'],
      ]);
    });

    it('should take the rest of the stay from its own credit once the top-ups have all been refunded', () => {
      const account = toppedUp(charge(5_000, 500), charge(2_000, 200, 200));
      const voided = account.reverse(STAY, share(7_000, 17_000), 'r1', at(5));
      expect(voided.entries.map((entry) => [entry.points, entry.cause.earnEntryId])).toEqual([
        [-400, 'acc-1:3'],
        [-500, 'acc-1:2'],
      ]);
      const { entries, account: after } = voided.account.reverse(STAY, share(2_500, 10_000), 'r2', at(6));
      expect(entries.map((entry) => [entry.points, entry.cause.earnEntryId])).toEqual([[-250, 'acc-1:1']]);
      expect(after.balances().total).toBe(750);
      expect(checkInvariants(after)).toEqual([]);
    });

    it('should take back a charge whose points were spent from other points, and owe the rest', () => {
      const spent = toppedUp(charge(5_000, 500)).redeem(1_200, 'red', at(5)).account;
      const { account, events } = spent.reverse(STAY, share(5_000, 15_000), 'evt-void', at(6));
      expect(events).toEqual([
        expect.objectContaining({
          type: 'points-reversed',
          reversed: 500,
          debited: 300,
          clawbackCreated: 200,
        }),
      ]);
      expect(account.balances()).toMatchObject({ total: 0, clawbackOwed: 200 });
      expect(checkInvariants(account)).toEqual([]);
    });

    it("should ignore a merged-in duplicate credit and its top-up, and take the refund from the survivor's credit", () => {
      const source = LedgerAccount.open('acc-2', 'g2', at(-30))
        .earn(earned(STAY, 1_000, at(-5), 800), 'evt-stay-2', POLICY, T0)
        .account.topUpStay(charge(5_000, 500), 'evt-charge-2', T0, POLICY, T0).account;
      const merged = withStay().mergeFrom(source, at(1)).account;
      const { entries, account } = merged.reverse(STAY, share(5_000, 10_000), 'evt-refund', at(2));
      expect(entries.map((entry) => [entry.points, entry.cause.earnEntryId])).toEqual([[-500, 'acc-1:1']]);
      expect(checkInvariants(account)).toEqual([]);
    });
  });

  it('should reverse only base points and tier bonus, and keep promotion and milestone points, when the stay is refunded', () => {
    // 800 base points, 200 tier bonus, 600 of a promotion and 2,000 of a milestone.
    const earn = withBonuses(earned(STAY, 1_000, at(-5), 800), 600, 2_000);
    const credited = LedgerAccount.open('acc-1', 'g', at(-30)).earn(earn, 'evt-stay', POLICY, T0).account;
    const quarter = credited.reverse(STAY, share(1, 4), 'r1', T0);
    expect(quarter.events).toEqual([
      expect.objectContaining({ type: 'points-reversed', reversed: 250, qualifyingBasePointsReversed: 200 }),
    ]);
    const rest = quarter.account.reverse(STAY, share(1, 1), 'r2', T0);
    expect(rest.events).toEqual([
      expect.objectContaining({ type: 'points-reversed', reversed: 750, qualifyingBasePointsReversed: 600 }),
    ]);
    expect(rest.account.balances().total).toBe(2_600);
    expect(rest.account.reverse(STAY, share(1, 1), 'r3', T0).entries).toEqual([]);
    expect(checkInvariants(rest.account)).toEqual([]);
  });

  it('should take the points back from the pending lot when the refund lands within the lock period', () => {
    const pending = LedgerAccount.open('acc-1', 'g', T0).earn(earned(STAY, 1_000), 'evt', POLICY, T0).account;
    const { account } = pending.reverse(STAY, share(1, 1), 'r', at(1));
    expect(account.balances()).toMatchObject({ pending: 0, total: 0, clawbackOwed: 0 });
  });

  it('should take other unheld points when the stay points were already spent', () => {
    const spent = withStay(2_000).redeem(2_500, 'red', T0).account;
    const { account, events } = spent.reverse(STAY, share(1, 1), 'r', T0);
    expect(events).toContainEqual(expect.objectContaining({ debited: 500, clawbackCreated: 500 }));
    expect(account.balances()).toMatchObject({ total: 0, clawbackOwed: 500 });
  });

  it('should turn the shortfall into clawback owed and keep the balance at zero when too little is left', () => {
    const spent = withStay().redeem(900, 'red', T0).account;
    const { account, entries } = spent.reverse(STAY, share(1, 1), 'r', T0);
    expect(entries).toEqual([expect.objectContaining({ type: 'reverse', points: -100, clawbackDelta: 900 })]);
    expect(account.balances()).toMatchObject({ available: 0, total: 0, clawbackOwed: 900 });
    expect(checkInvariants(account)).toEqual([]);
  });

  it('should leave held points alone when a reversal needs more than the unheld points', () => {
    const held = withStay().hold(600, 'hold-1', 15, T0).account;
    const { account } = held.reverse(STAY, share(1, 1), 'r', T0);
    expect(account.balances()).toMatchObject({ available: 0, held: 600, clawbackOwed: 600 });
    expect(account.confirmHold('hold-1', T0).account.balances()).toMatchObject({
      total: 0,
      clawbackOwed: 600,
    });
  });

  it('should pay clawback from the next earning before the guest can spend it', () => {
    const owing = withStay().redeem(900, 'red', T0).account.reverse(STAY, share(1, 1), 'r', T0).account;
    const { account, entries, events } = owing.earn(earned('grand-paris/R2', 1_000), 'evt-2', POLICY, at(1));
    expect(entries.map((entry) => [entry.type, entry.points, entry.clawbackDelta])).toEqual([
      ['earn', 1_000, undefined],
      ['reverse', -900, -900],
    ]);
    expect(entries[1].cause.kind).toBe('clawback-settlement');
    expect(events).toContainEqual({
      type: 'clawback-settled',
      entryId: 'acc-1:5',
      points: 900,
      remainingOwed: 0,
    });
    expect(account.balances()).toMatchObject({ pending: 100, clawbackOwed: 0, total: 100 });
    expect(checkInvariants(account)).toEqual([]);
  });

  it('should pay clawback from points a released hold gives back', () => {
    const owing = withStay().hold(600, 'hold-1', 15, T0).account.reverse(STAY, share(1, 1), 'r', T0).account;
    const { account } = owing.releaseHold('hold-1', T0);
    expect(account.balances()).toMatchObject({ available: 0, held: 0, clawbackOwed: 0, total: 0 });
    expect(checkInvariants(account)).toEqual([]);
  });

  describe("when some of the stay's points expired before the refund", () => {
    const EXPIRED_AT = addMonths(T0, 24);
    /** STAY's 1,000 points (800 base), `spent` of them redeemed and the rest expired. */
    const expiredStay = (spent = 0): LedgerAccount => {
      const credited = withStay();
      return (spent > 0 ? credited.redeem(spent, 'red', T0).account : credited).expireLots(
        EXPIRED_AT,
        'member',
        POLICY,
      ).account;
    };
    /** 2,000 points of a stay credited after the expiry, for a refund to take from. */
    const withLaterStay = (account: LedgerAccount): LedgerAccount =>
      account.earn(earned('grand-paris/R2', 2_000, at(-5, EXPIRED_AT)), 'evt-2', POLICY, EXPIRED_AT).account;

    it("should take nothing more from the guest when all of the stay's points expired", () => {
      const refunded = withLaterStay(expiredStay()).reverse(STAY, share(1, 1), 'r', at(1, EXPIRED_AT));
      expect(refunded.entries).toEqual([
        expect.objectContaining({ type: 'reverse', points: 0, alreadyExpired: 1_000 }),
      ]);
      // The refunded revenue still takes its base points off the year's qualifying credits.
      expect(refunded.events).toEqual([
        expect.objectContaining({
          type: 'points-reversed',
          reversed: 1_000,
          debited: 0,
          clawbackCreated: 0,
          qualifyingBasePointsReversed: 800,
        }),
      ]);
      expect(refunded.account.balances()).toMatchObject({ total: 2_000, clawbackOwed: 0 });
      expect(checkInvariants(refunded.account)).toEqual([]);
    });

    it('should take back the spent points only, from other points, when the rest expired and refunds come in parts', () => {
      // 400 spent, 600 expired: the first half of the refund is all expired points, the second has the 400.
      const half = withLaterStay(expiredStay(400)).reverse(STAY, share(1, 2), 'r1', at(1, EXPIRED_AT));
      expect(half.entries).toEqual([expect.objectContaining({ points: 0, alreadyExpired: 500 })]);
      const rest = half.account.reverse(STAY, share(1, 1), 'r2', at(2, EXPIRED_AT));
      expect(rest.entries).toEqual([expect.objectContaining({ points: -400, alreadyExpired: 100 })]);
      expect(rest.account.balances()).toMatchObject({ total: 1_600, clawbackOwed: 0 });
      expect(
        [...half.events, ...rest.events].map(
          (event) => event.type === 'points-reversed' && event.qualifyingBasePointsReversed,
        ),
      ).toEqual([400, 400]);
      expect(rest.account.reverse(STAY, share(1, 1), 'r3', at(3, EXPIRED_AT)).entries).toEqual([]);
      expect(checkInvariants(rest.account)).toEqual([]);
    });

    it('should owe as clawback only the spent points when the guest has nothing else', () => {
      const { account, entries } = expiredStay(400).reverse(STAY, share(1, 1), 'r', at(1, EXPIRED_AT));
      expect(entries).toEqual([
        expect.objectContaining({ points: 0, clawbackDelta: 400, alreadyExpired: 600 }),
      ]);
      expect(account.balances()).toMatchObject({ total: 0, clawbackOwed: 400 });
      expect(checkInvariants(account)).toEqual([]);
    });

    it('should take nothing for the points that expired after an earlier refund took its share', () => {
      const halved = withStay().reverse(STAY, share(1, 2), 'r1', T0).account;
      const expired = withLaterStay(halved.expireLots(EXPIRED_AT, 'member', POLICY).account);
      const { account, entries } = expired.reverse(STAY, share(1, 1), 'r2', at(1, EXPIRED_AT));
      expect(entries).toEqual([expect.objectContaining({ points: 0, alreadyExpired: 500 })]);
      expect(account.balances().total).toBe(2_000);
      expect(checkInvariants(account)).toEqual([]);
    });
  });

  it('should still reverse when the account is suspended', () => {
    const suspended = withStay().suspend('review', T0).account;
    expect(suspended.reverse(STAY, share(1, 1), 'r', T0).account.balances().total).toBe(0);
  });

  it('should do nothing when the stay earned no points', () => {
    const account = LedgerAccount.open('acc-1', 'g', T0).earn(earned('p/OTA', 0), 'evt', POLICY, T0).account;
    expect(account.reverse('p/OTA', share(1, 1), 'r', T0).entries).toEqual([]);
  });

  it('should refuse when the stay was never credited', () => {
    expect(() => withStay().reverse('p/OTHER', share(1, 1), 'r', T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.STAY_NOT_CREDITED }),
    );
  });

  it.each([
    [0, 100],
    [-10, 100],
    [101, 100],
    [0.5, 100],
    [1, 0],
    [1, Number.NaN],
  ])('should refuse a share of %p/%p', (part, whole) => {
    expect(() => withStay().reverse(STAY, share(part, whole), 'r', T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.INVALID_ARGUMENT }),
    );
  });
});
