import { LedgerAccount } from './account';
import { addDays, addMonths } from './calendar';
import { DEFAULT_PROGRAM } from './default-program';
import { checkInvariants } from './invariants';
import { LedgerErrorCode } from './ledger-error';
import { accountWith, at, earned, POLICY, share, T0, withBonuses } from './ledger.fixtures';
import { mergeQualifyingYears } from './merge';
import type { MilestoneAwardLine } from './milestones';
import type { YearProgress } from './tier-progress';

const survivor = accountWith(1_000, 'acc-a');
const source = accountWith(0, 'acc-b')
  .earn(earned('p/B1', 700, at(-5)), 'e-b1', POLICY, T0)
  .account.earn(earned('p/B2', 300), 'e-b2', POLICY, T0).account;

describe('mergeFrom', () => {
  it('should keep the combined balance and every entry when two accounts merge', () => {
    const { account, entries, events, source: closed } = survivor.mergeFrom(source, at(1));
    expect(account.balances()).toMatchObject({ available: 1_700, pending: 300, total: 2_000 });
    const ids = account.toSnapshot().entries.map((entry) => entry.id);
    expect(ids).toEqual(expect.arrayContaining(source.toSnapshot().entries.map((entry) => entry.id)));
    expect(entries).toEqual([
      expect.objectContaining({
        type: 'transfer',
        points: 0,
        cause: { kind: 'merge', counterpartyAccountId: 'acc-b' },
      }),
    ]);
    expect(events).toContainEqual({
      type: 'accounts-merged',
      entryId: entries[0]?.id,
      sourceAccountId: 'acc-b',
      survivorAccountId: 'acc-a',
      points: 1_000,
    });
    expect(account.toSnapshot().mergedAccountIds).toEqual(['acc-b']);
    expect(closed.toSnapshot()).toMatchObject({
      status: 'closed',
      mergedIntoAccountId: 'acc-a',
      entries: [],
      lots: [],
    });
    expect(checkInvariants(account)).toEqual([]);
    expect(checkInvariants(closed)).toEqual([]);
  });

  it('should recognise the merged-in stays when they arrive again or are refunded later', () => {
    const { account } = survivor.mergeFrom(source, at(1));
    expect(account.earn(earned('p/B1', 700), 'e-again', POLICY, at(2)).entries).toEqual([]);
    expect(account.reverse('p/B1', share(1, 1), 'refund', at(2)).account.balances().total).toBe(1_300);
  });

  it('should carry open holds across so the redemption can still complete', () => {
    const held = source.hold(500, 'hold-b', 60, T0).account;
    const { account } = survivor.mergeFrom(held, T0);
    expect(account.confirmHold('hold-b', at(0)).account.balances().total).toBe(1_500);
  });

  it('should take back the merged-in credit when both accounts were credited for the same stay', () => {
    const twice = accountWith(0, 'acc-b').earn(earned('p/SAME', 400, at(-5)), 'e', POLICY, T0).account;
    const first = survivor.earn(earned('p/SAME', 400, at(-5)), 'e', POLICY, T0).account;
    const { account, entries } = first.mergeFrom(twice, T0);
    expect(entries).toContainEqual(
      expect.objectContaining({
        type: 'reverse',
        points: -400,
        cause: expect.objectContaining({ kind: 'duplicate-credit', stayKey: 'p/SAME' }),
      }),
    );
    expect(account.balances().total).toBe(1_400);
    expect(checkInvariants(account)).toEqual([]);
  });

  it('should not take the merged-in credit of a stay credited on both accounts again when its points expired', () => {
    const expiredAt = addMonths(T0, 24);
    const expired = accountWith(0, 'acc-b')
      .earn(earned('p/SAME', 400, at(-5)), 'e', POLICY, T0)
      .account.expireLots(expiredAt, 'member', POLICY).account;
    const first = survivor.earn(earned('p/SAME', 400, at(-5)), 'e', POLICY, T0).account;
    const { account, entries } = first.mergeFrom(expired, at(1, expiredAt));
    expect(entries).toContainEqual(
      expect.objectContaining({
        type: 'reverse',
        points: 0,
        alreadyExpired: 400,
        cause: expect.objectContaining({ kind: 'duplicate-credit', stayKey: 'p/SAME' }),
      }),
    );
    expect(account.balances().total).toBe(1_400);
    expect(checkInvariants(account)).toEqual([]);
  });

  it('should take back the promotion and milestone points a refund left when both accounts were credited for the same stay', () => {
    const refunded = accountWith(0, 'acc-b')
      .earn(withBonuses(earned('p/SAME', 400, at(-5)), 100, 500), 'e', POLICY, T0)
      .account.reverse('p/SAME', share(1, 1), 'refund', T0).account;
    expect(refunded.balances().total).toBe(600);
    const first = survivor.earn(earned('p/SAME', 400, at(-5)), 'e', POLICY, T0).account;
    const { account, entries, events } = first.mergeFrom(refunded, T0);
    expect(entries).toContainEqual(
      expect.objectContaining({
        type: 'reverse',
        points: -600,
        cause: expect.objectContaining({ kind: 'duplicate-credit', stayKey: 'p/SAME' }),
      }),
    );
    // Its base points went back with the refund already.
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'points-reversed', reversed: 600, qualifyingBasePointsReversed: 0 }),
    );
    expect(account.balances().total).toBe(1_400);
    expect(checkInvariants(account)).toEqual([]);
  });

  it('should carry clawback owed across and pay it from the combined points', () => {
    const owing = accountWith(0, 'acc-b')
      .earn(earned('p/B1', 500, at(-5)), 'e', POLICY, T0)
      .account.redeem(500, 'r', T0)
      .account.reverse('p/B1', share(1, 1), 'refund', T0).account;
    const { account } = survivor.mergeFrom(owing, T0);
    expect(account.balances()).toMatchObject({ total: 500, clawbackOwed: 0 });
    expect(checkInvariants(account)).toEqual([]);
  });

  it('should refuse to merge when the accounts are the same, the source is suspended or closed, or hold ids clash', () => {
    expect(() => survivor.mergeFrom(survivor, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.MERGE_CONFLICT }),
    );
    const suspended = source.suspend('fraud', T0).account;
    expect(() => survivor.mergeFrom(suspended, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.ACCOUNT_SUSPENDED }),
    );
    const closed = LedgerAccount.open('acc-c', 'g', T0).close('dup', T0, 0).account;
    expect(() => survivor.mergeFrom(closed, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.ACCOUNT_CLOSED }),
    );
    const clash = survivor.hold(1, 'same-hold', 15, T0).account;
    expect(() => clash.mergeFrom(source.hold(1, 'same-hold', 15, T0).account, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.MERGE_CONFLICT }),
    );
  });
});

describe('mergeQualifyingYears', () => {
  const year = (of: number, nights: number, basePoints: number): YearProgress => ({
    year: of,
    nights,
    stays: 1,
    basePoints,
    reached: { nights, stays: 1 },
  });

  it('should add up each year the merged account counted in, and settle the milestones the sums cross', () => {
    const combined = mergeQualifyingYears(
      [year(2025, 10, 1_000), year(2026, 35, 3_500)],
      [year(2026, 10, 1_000), year(2024, 3, 300)],
      DEFAULT_PROGRAM.milestones,
      T0,
    );
    expect(combined).toEqual({
      years: [
        { year: 2026, nights: 45, stays: 2, basePoints: 4_500, reached: { nights: 45, stays: 2 } },
        { year: 2024, nights: 3, stays: 1, basePoints: 300, reached: { nights: 3, stays: 1 } },
      ],
      milestones: [{ id: 'every-10-nights-from-40', threshold: 40, points: 10_000 }],
    });
  });

  it('should pay no milestone of a year older than the last, but still add its counts and raise its marks', () => {
    // Merged in January 2026: 2019 (35 + 30 nights) and 2020 (38 + 25) crossed 40, 50 and 60 together
    // long ago; 2025 (the previous year) and 2026 are still paid.
    const combined = mergeQualifyingYears(
      [year(2019, 35, 3_500), year(2020, 38, 3_800), year(2025, 30, 3_000), year(2026, 5, 500)],
      [year(2019, 30, 3_000), year(2020, 25, 2_500), year(2025, 15, 1_500), year(2026, 35, 3_500)],
      DEFAULT_PROGRAM.milestones,
      T0,
    );
    expect(combined.years).toEqual([
      { year: 2019, nights: 65, stays: 2, basePoints: 6_500, reached: { nights: 65, stays: 2 } },
      { year: 2020, nights: 63, stays: 2, basePoints: 6_300, reached: { nights: 63, stays: 2 } },
      { year: 2025, nights: 45, stays: 2, basePoints: 4_500, reached: { nights: 45, stays: 2 } },
      { year: 2026, nights: 40, stays: 2, basePoints: 4_000, reached: { nights: 40, stays: 2 } },
    ]);
    expect(combined.milestones).toEqual([
      { id: 'every-10-nights-from-40', threshold: 40, points: 10_000 },
      { id: 'every-10-nights-from-40', threshold: 40, points: 10_000 },
    ]);
  });

  it('should stop paying the previous year once its status would have run out, at the turn of the year', () => {
    const merge = (now: Date) =>
      mergeQualifyingYears([year(2025, 35, 3_500)], [year(2025, 10, 1_000)], DEFAULT_PROGRAM.milestones, now)
        .milestones;
    expect(merge(new Date('2026-12-31T23:59:59.000Z'))).toHaveLength(1);
    expect(merge(new Date('2027-01-01T00:00:00.000Z'))).toEqual([]);
  });
});

describe('payMergeMilestones', () => {
  const milestone = (id: string, threshold: number): MilestoneAwardLine => ({ id, threshold, points: 1_000 });
  const merged = survivor.mergeFrom(source, T0).account;

  it('should pay each milestone as an earn entry naming the merge and no stay, pending for the lock period', () => {
    const lines = [milestone('nights', 40), milestone('nights', 50), milestone('stays', 10)];
    const { account, entries, events } = merged.payMergeMilestones('acc-b', lines, POLICY, at(1));
    expect(entries).toEqual([
      expect.objectContaining({
        type: 'earn',
        points: 2_000,
        cause: { kind: 'merge', counterpartyAccountId: 'acc-b' },
        earn: { basePoints: 0, tierBonus: 0, promotions: [], milestones: lines.slice(0, 2) },
      }),
      expect.objectContaining({
        type: 'earn',
        points: 1_000,
        earn: expect.objectContaining({ milestones: [lines[2]] }),
      }),
    ]);
    const availableAt = addDays(at(1), POLICY.lockPeriodDays);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'points-earned',
        entryId: entries[0].id,
        points: 2_000,
        state: 'pending',
        availableAt,
      }),
      expect.objectContaining({ type: 'points-earned', entryId: entries[1].id, points: 1_000 }),
    ]);
    expect(events.filter((event) => 'stayKey' in event && event.stayKey !== undefined)).toEqual([]);
    expect(account.balances()).toMatchObject({ pending: 300 + 3_000, lifetimeEarned: 2_000 + 3_000 });
    expect(checkInvariants(account)).toEqual([]);
  });

  it('should leave the milestones to no refund of a stay, and to no later merge as a duplicate credit', () => {
    const paid = merged.payMergeMilestones('acc-b', [milestone('nights', 40)], POLICY, at(1)).account;
    expect(paid.reverse('p/B1', share(1, 1), 'refund', at(2)).account.balances().total).toBe(
      2_000 + 1_000 - 700,
    );
    const alsoPaid = accountWith(0, 'acc-c').payMergeMilestones(
      'acc-d',
      [milestone('nights', 40)],
      POLICY,
      at(1),
    );
    const later = alsoPaid.account.mergeFrom(paid, at(2));
    expect(later.entries.filter((entry) => entry.type === 'reverse')).toEqual([]);
    expect(later.account.balances().total).toBe(1_000 + 3_000);
  });

  it('should not restart the inactivity clock of two dormant accounts merged by staff or an upstream system', () => {
    const inactivityOnly = { ...POLICY, expiry: { ...POLICY.expiry, lot: null } };
    const mergedAt = addMonths(T0, 20);
    const dormant = survivor.mergeFrom(source, mergedAt).account;
    expect(dormant.toSnapshot().lastActivityAt).toEqual(T0);
    const paid = dormant.payMergeMilestones(
      'acc-b',
      [milestone('nights', 40)],
      inactivityOnly,
      mergedAt,
    ).account;
    expect(paid.toSnapshot().lastActivityAt).toEqual(T0);
    const { account } = paid.expireLots(addMonths(T0, 24), 'member', inactivityOnly);
    expect(account.balances().total).toBe(0);
  });

  it('should change nothing when the merge settled no milestone, and refuse a closed account', () => {
    expect(merged.payMergeMilestones('acc-b', [], POLICY, at(1))).toMatchObject({ entries: [], events: [] });
    const closed = LedgerAccount.open('acc-c', 'g', T0).close('dup', T0, 0).account;
    expect(() => closed.payMergeMilestones('acc-b', [milestone('nights', 40)], POLICY, T0)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.ACCOUNT_CLOSED }),
    );
  });
});
