import { endOfYear } from './calendar';
import { DEFAULT_PROGRAM } from './default-program';
import { LedgerErrorCode } from './ledger-error';
import type { ProgramRules } from './program-rules';
import type { TierProgress, YearProgress } from './tier-progress';
import {
  catchUpYearEnds,
  evaluateTier,
  mergedTierStatus,
  overrideTier,
  releaseTierOverride,
  tierAfterMerge,
  TierStatus,
  yearEndReevaluation,
  yearStillRewarded,
} from './tiers';

const MID_2026 = new Date('2026-05-01T10:00:00Z');
const NEW_YEAR_2027 = new Date('2027-01-01T00:05:00Z');
const progress = (nights = 0, stays = 0, basePoints = 0): TierProgress => ({ nights, stays, basePoints });
const member: TierStatus = { tierId: 'member', validUntil: null };
const status = (tierId: string, year: number): TierStatus => ({ tierId, validUntil: endOfYear(year) });
const RECOMPUTE: ProgramRules = { ...DEFAULT_PROGRAM, downgradePolicy: 'recompute' };

describe('yearStillRewarded (the credits of which qualifying years still upgrade and pay milestones)', () => {
  const at = (instant: string) => new Date(instant);

  it.each([
    ['this year', 2026, '2026-05-01T10:00:00Z', true],
    ['last year, from the first moment of this one', 2025, '2026-01-01T00:00:00Z', true],
    ['last year, on the last day of its validity', 2025, '2026-12-31T00:00:00Z', true],
    ['last year, in the last second of its validity', 2025, '2026-12-31T23:59:59.000Z', true],
    ['last year, on the day after its validity', 2025, '2027-01-01T00:00:00.000Z', false],
    ['the year before last, on the last day of its validity', 2024, '2025-12-31T23:59:59.000Z', true],
    ['the year before last, once this year has begun', 2024, '2026-01-01T00:00:00.000Z', false],
    ['a year long gone', 2019, '2026-05-01T10:00:00Z', false],
    ['next year, begun east of UTC (1 January in Tokyo)', 2027, '2026-12-31T20:00:00Z', true],
  ])('should tell whether %s (%i) is still rewarded at %s: %s', (_case, year, instant, rewarded) => {
    expect(yearStillRewarded(year, at(instant))).toBe(rewarded);
  });

  it('should go by the UTC year, not the local one, when New Year is at another time there', () => {
    // 08:00 on 1 January 2027 in Tokyo is still 2026 in UTC: last year (2025) is still rewarded.
    expect(yearStillRewarded(2025, at('2027-01-01T08:00:00+09:00'))).toBe(true);
    // 20:00 on 31 December 2026 in Honolulu is 2027 in UTC: 2025 is no longer rewarded.
    expect(yearStillRewarded(2025, at('2026-12-31T20:00:00-10:00'))).toBe(false);
  });
});

describe('evaluateTier', () => {
  it.each([
    ['nights', progress(9), 'member'],
    ['nights', progress(10), 'silver'],
    ['nights', progress(24), 'silver'],
    ['nights', progress(25), 'gold'],
    ['nights', progress(49), 'gold'],
    ['nights', progress(50), 'platinum'],
    ['nights', progress(74), 'platinum'],
    ['nights', progress(75), 'titanium'],
    ['stays', progress(0, 4), 'member'],
    ['stays', progress(0, 5), 'silver'],
    ['stays', progress(0, 11), 'silver'],
    ['stays', progress(0, 12), 'gold'],
    ['stays', progress(0, 36), 'titanium'],
    ['base points', progress(0, 0, 9_999), 'member'],
    ['base points', progress(0, 0, 10_000), 'silver'],
    ['base points', progress(0, 0, 49_999), 'gold'],
    ['base points', progress(0, 0, 50_000), 'platinum'],
  ])('should place a member by %s when progress is %j', (_metric, reached, expected) => {
    expect(evaluateTier(reached, DEFAULT_PROGRAM, member, MID_2026).status.tierId).toBe(expected);
  });

  it('should upgrade at once, valid to the end of next year, and report why when any threshold is crossed', () => {
    const { status: after, change } = evaluateTier(progress(3, 12, 2_000), DEFAULT_PROGRAM, member, MID_2026);
    expect(after).toEqual({ tierId: 'gold', validUntil: endOfYear(2027) });
    expect(change).toEqual({
      from: 'member',
      to: 'gold',
      reason: 'qualified',
      validUntil: endOfYear(2027),
      at: MID_2026,
      qualifiedBy: ['stays'],
    });
  });

  it("should make status valid to the end of the year after the stay's year when a stay of last year is credited in January", () => {
    const january = new Date('2027-01-03T09:00:00Z');
    const { status: after } = evaluateTier(progress(10), DEFAULT_PROGRAM, member, january, 2026);
    expect(after).toEqual({ tierId: 'silver', validUntil: endOfYear(2027) });
  });

  it('should not upgrade when the stay is of a year whose status would already have run out', () => {
    const { status: after, change } = evaluateTier(
      progress(10),
      DEFAULT_PROGRAM,
      member,
      NEW_YEAR_2027,
      2025,
    );
    expect(after).toEqual(member);
    expect(change).toBeNull();
  });

  it('should extend the current tier once when it is reached again in a later year', () => {
    const { status: after, change } = evaluateTier(
      progress(25),
      DEFAULT_PROGRAM,
      status('gold', 2026),
      MID_2026,
    );
    expect(change).toMatchObject({
      from: 'gold',
      to: 'gold',
      reason: 'requalified',
      validUntil: endOfYear(2027),
    });
    expect(evaluateTier(progress(26), DEFAULT_PROGRAM, after, MID_2026).change).toBeNull();
  });

  it('should never downgrade when evaluated during the year', () => {
    expect(evaluateTier(progress(0), DEFAULT_PROGRAM, status('platinum', 2026), MID_2026).change).toBeNull();
  });

  it('should not move a locked tier up or down, and should resume once the lock has run out', () => {
    const lockUntil = new Date('2026-06-01T00:00:00Z');
    const locked = overrideTier(
      member,
      DEFAULT_PROGRAM,
      { tierId: 'silver', staffId: 's-1', reason: 'status match', lockUntil },
      MID_2026,
    ).status;
    expect(evaluateTier(progress(80), DEFAULT_PROGRAM, locked, MID_2026).change).toBeNull();
    const after = evaluateTier(progress(80), DEFAULT_PROGRAM, locked, lockUntil);
    expect(after.status).toEqual({ tierId: 'titanium', validUntil: endOfYear(2027) });
  });

  it('should refuse a tier when the program does not know it', () => {
    expect(() =>
      evaluateTier(progress(), DEFAULT_PROGRAM, { tierId: 'diamond', validUntil: null }, MID_2026),
    ).toThrow(expect.objectContaining({ code: LedgerErrorCode.UNKNOWN_TIER }));
  });
});

describe('yearEndReevaluation', () => {
  it.each([
    ['drop-one-tier', DEFAULT_PROGRAM, progress(12), 'gold'],
    ['recompute', RECOMPUTE, progress(12), 'silver'],
    ['drop-one-tier', DEFAULT_PROGRAM, progress(0), 'gold'],
    ['recompute', RECOMPUTE, progress(0), 'member'],
  ])(
    'should lower expiring platinum by the %s policy when the year earned %j',
    (_policy, program, earnedInYear, expected) => {
      const { status: after, change } = yearEndReevaluation(
        earnedInYear,
        program,
        status('platinum', 2026),
        2026,
        NEW_YEAR_2027,
      );
      expect(after.tierId).toBe(expected);
      expect(after.validUntil).toEqual(expected === 'member' ? null : endOfYear(2027));
      expect(change).toMatchObject({
        from: 'platinum',
        to: expected,
        reason: 'year-end-downgrade',
        at: NEW_YEAR_2027,
      });
    },
  );

  it('should drop one tier a year when a guest stops staying under drop-one-tier', () => {
    let current = status('titanium', 2026);
    const path: string[] = [];
    for (const year of [2026, 2027, 2028, 2029, 2030]) {
      current = yearEndReevaluation(
        progress(),
        DEFAULT_PROGRAM,
        current,
        year,
        new Date(Date.UTC(year + 1, 0, 1)),
      ).status;
      path.push(current.tierId);
    }
    expect(path).toEqual(['platinum', 'gold', 'silver', 'member', 'member']);
  });

  it('should keep status when it is valid beyond the year that ended', () => {
    expect(
      yearEndReevaluation(progress(), DEFAULT_PROGRAM, status('gold', 2027), 2026, NEW_YEAR_2027).change,
    ).toBeNull();
  });

  it('should renew expiring status for another year when the year earned it again', () => {
    const { change } = yearEndReevaluation(
      progress(30),
      DEFAULT_PROGRAM,
      status('gold', 2026),
      2026,
      NEW_YEAR_2027,
    );
    expect(change).toMatchObject({
      from: 'gold',
      to: 'gold',
      reason: 'requalified',
      validUntil: endOfYear(2027),
    });
  });

  it('should upgrade when the year earned a higher tier that was not applied yet', () => {
    const { change } = yearEndReevaluation(
      progress(55),
      DEFAULT_PROGRAM,
      status('gold', 2026),
      2026,
      NEW_YEAR_2027,
    );
    expect(change).toMatchObject({ to: 'platinum', reason: 'qualified', validUntil: endOfYear(2027) });
  });

  it('should leave a locked tier alone when it expires', () => {
    const locked = overrideTier(
      member,
      DEFAULT_PROGRAM,
      { tierId: 'platinum', staffId: 's', reason: 'VIP', lockUntil: null, validUntil: endOfYear(2026) },
      MID_2026,
    ).status;
    expect(yearEndReevaluation(progress(), DEFAULT_PROGRAM, locked, 2026, NEW_YEAR_2027).change).toBeNull();
    const released = releaseTierOverride(locked);
    expect(
      yearEndReevaluation(progress(), DEFAULT_PROGRAM, released, 2026, NEW_YEAR_2027).status.tierId,
    ).toBe('gold');
  });
});

describe('overrideTier', () => {
  it('should report the move and lock the tier when staff override it', () => {
    const { status: after, change } = overrideTier(
      status('gold', 2026),
      DEFAULT_PROGRAM,
      { tierId: 'member', staffId: 's-9', reason: 'fraud', lockUntil: null },
      MID_2026,
    );
    expect(change).toEqual({
      from: 'gold',
      to: 'member',
      reason: 'override',
      validUntil: null,
      at: MID_2026,
    });
    expect(after.lock).toEqual({ staffId: 's-9', reason: 'fraud', lockedAt: MID_2026, until: null });
  });
});

describe('mergedTierStatus', () => {
  const lockedAt = (tierId: string, lockedOn: Date, lockUntil: Date | null = null): TierStatus =>
    overrideTier(member, DEFAULT_PROGRAM, { tierId, staffId: 's-1', reason: 'fraud', lockUntil }, lockedOn)
      .status;
  const merge = (survivor: TierStatus, merged: TierStatus) =>
    mergedTierStatus(survivor, merged, DEFAULT_PROGRAM, MID_2026);
  const EARLIER = new Date('2026-02-01T00:00:00Z');

  it('should keep the higher tier, with its validity, when neither side is locked', () => {
    expect(merge(status('silver', 2026), status('gold', 2027))).toEqual(status('gold', 2027));
    expect(merge(status('gold', 2027), status('silver', 2026))).toEqual(status('gold', 2027));
  });

  it("should keep the survivor's locked tier and its lock over the merged account's higher tier", () => {
    const survivor = lockedAt('member', EARLIER);
    expect(merge(survivor, status('gold', 2027))).toBe(survivor);
  });

  it("should bring the merged account's locked tier with its lock, higher or lower", () => {
    const merged = lockedAt('member', EARLIER, new Date('2026-12-01T00:00:00Z'));
    expect(merge(status('gold', 2027), merged)).toBe(merged);
  });

  it('should keep the lock set last when both sides are locked', () => {
    const older = lockedAt('titanium', EARLIER);
    const newer = lockedAt('member', new Date('2026-03-01T00:00:00Z'));
    expect(merge(older, newer)).toBe(newer);
    expect(merge(newer, older)).toBe(newer);
  });

  it('should treat a lock that has run out as none, and drop it', () => {
    const lapsed = lockedAt('gold', EARLIER, new Date('2026-04-01T00:00:00Z'));
    expect(merge(status('silver', 2026), lapsed)).toEqual({ tierId: 'gold', validUntil: lapsed.validUntil });
    expect(merge(lapsed, status('platinum', 2027))).toEqual(status('platinum', 2027));
  });

  it('should keep the later validity when both sides hold the same tier, so the guest loses no status time', () => {
    expect(merge(status('gold', 2026), status('gold', 2027))).toEqual(status('gold', 2027));
    expect(merge(status('gold', 2027), status('gold', 2026))).toEqual(status('gold', 2027));
    const withoutEnd: TierStatus = { tierId: 'gold', validUntil: null };
    expect(merge(status('gold', 2027), withoutEnd)).toEqual(withoutEnd);
    expect(merge(withoutEnd, status('gold', 2027))).toEqual(withoutEnd);
  });

  it("should keep the survivor's locked tier with its validity over a later validity of the same tier", () => {
    const survivor = overrideTier(
      member,
      DEFAULT_PROGRAM,
      {
        tierId: 'gold',
        staffId: 's-1',
        reason: 'status match',
        lockUntil: null,
        validUntil: endOfYear(2026),
      },
      EARLIER,
    ).status;
    expect(merge(survivor, status('gold', 2027))).toBe(survivor);
  });
});

describe('tierAfterMerge', () => {
  const year = (of: number, nights: number, basePoints = 0): YearProgress => ({
    year: of,
    nights,
    stays: 1,
    basePoints,
    reached: { nights, stays: 1 },
  });
  const after = (survivor: TierStatus, merged: TierStatus, combined: YearProgress[]) =>
    tierAfterMerge(survivor, merged, combined, DEFAULT_PROGRAM, MID_2026);

  it('should upgrade at once, as a stay would, when the counts the merge combined cross a threshold', () => {
    expect(after(member, member, [year(2026, 6, 11_000)])).toEqual({
      status: status('silver', 2027),
      change: {
        from: 'member',
        to: 'silver',
        reason: 'qualified',
        validUntil: endOfYear(2027),
        at: MID_2026,
        qualifiedBy: ['basePoints'],
      },
    });
  });

  it('should report the tier the merged account brought as merged when the combined counts earn no more', () => {
    expect(after(member, status('gold', 2027), [year(2026, 11)])).toEqual({
      status: status('gold', 2027),
      change: { from: 'member', to: 'gold', reason: 'merged', validUntil: endOfYear(2027), at: MID_2026 },
    });
  });

  it("should qualify on last year's combined counts to the end of this year, and let this year's extend it whatever their order", () => {
    expect(after(member, member, [year(2025, 25)]).status).toEqual(status('gold', 2026));
    expect(after(member, member, [year(2026, 25), year(2025, 25)]).status).toEqual(status('gold', 2027));
    expect(after(member, member, [year(2024, 75)])).toEqual({ status: member, change: null });
  });

  it("should report the survivor's own tier extended by the combined counts as requalified", () => {
    expect(after(status('gold', 2026), member, [year(2026, 25)]).change).toEqual({
      from: 'gold',
      to: 'gold',
      reason: 'requalified',
      validUntil: endOfYear(2027),
      at: MID_2026,
      qualifiedBy: ['nights'],
    });
  });

  it('should leave a tier locked by staff as it is, whatever the combined counts', () => {
    const locked = overrideTier(
      member,
      DEFAULT_PROGRAM,
      { tierId: 'member', staffId: 's-1', reason: 'fraud', lockUntil: null },
      MID_2026,
    ).status;
    expect(after(locked, member, [year(2026, 80)])).toEqual({ status: locked, change: null });
  });

  it('should report no change when the survivor keeps its tier and its validity', () => {
    expect(after(status('gold', 2027), member, [year(2026, 11)])).toEqual({
      status: status('gold', 2027),
      change: null,
    });
  });
});

describe('catchUpYearEnds', () => {
  // Status matched to titanium in June 2025 (valid to the end of 2026), locked until 31 March 2027.
  const lockedUntil = (lockUntil: Date) =>
    overrideTier(
      member,
      DEFAULT_PROGRAM,
      { tierId: 'titanium', staffId: 's', reason: 'status match', lockUntil },
      new Date('2025-06-01T00:00:00Z'),
    ).status;
  const locked = lockedUntil(new Date('2027-03-31T00:00:00Z'));
  const twoNightsAYear = () => progress(2);
  const APRIL_2027 = new Date('2027-04-01T00:00:00Z');

  it('should leave status alone while its lock is in force, as the year-end run does', () => {
    expect(catchUpYearEnds(twoNightsAYear, DEFAULT_PROGRAM, locked, 2026, NEW_YEAR_2027)).toEqual({
      status: locked,
      changes: [],
    });
  });

  it('should re-evaluate the year its validity ended in once the lock has run out, then change nothing', () => {
    const caughtUp = catchUpYearEnds(twoNightsAYear, DEFAULT_PROGRAM, locked, 2026, APRIL_2027);
    expect(caughtUp.status).toEqual(status('platinum', 2027));
    expect(caughtUp.changes).toEqual([
      {
        from: 'titanium',
        to: 'platinum',
        reason: 'year-end-downgrade',
        validUntil: endOfYear(2027),
        at: APRIL_2027,
      },
    ]);
    const again = catchUpYearEnds(twoNightsAYear, DEFAULT_PROGRAM, caughtUp.status, 2026, APRIL_2027);
    expect(again).toEqual({ status: caughtUp.status, changes: [] });
  });

  it('should renew status the year it lapsed in earned again', () => {
    const caughtUp = catchUpYearEnds(() => progress(80), DEFAULT_PROGRAM, locked, 2026, APRIL_2027);
    expect(caughtUp.status).toEqual(status('titanium', 2027));
  });

  it('should re-evaluate every year-end the lock held back, each with its own progress', () => {
    const stays: Record<number, TierProgress> = { 2026: progress(2), 2027: progress(30), 2028: progress() };
    const caughtUp = catchUpYearEnds(
      (year) => stays[year],
      DEFAULT_PROGRAM,
      lockedUntil(new Date('2029-03-31T00:00:00Z')),
      2028,
      new Date('2029-04-01T00:00:00Z'),
    );
    // Titanium lapses to platinum; 2027's 30 nights earn gold, one below; 2028 earns nothing.
    expect(caughtUp.changes.map((change) => change.to)).toEqual(['platinum', 'gold', 'silver']);
    expect(caughtUp.status).toEqual(status('silver', 2029));
  });

  it('should leave status still valid, and the base tier, to the year-end runs', () => {
    for (const current of [status('gold', 2027), member]) {
      expect(catchUpYearEnds(twoNightsAYear, DEFAULT_PROGRAM, current, 2026, APRIL_2027)).toEqual({
        status: current,
        changes: [],
      });
    }
  });
});
