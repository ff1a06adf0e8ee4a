import { endOfYear } from './calendar';
import { DEFAULT_PROGRAM } from './default-program';
import { LedgerErrorCode } from './ledger-error';
import type { ProgramRules } from './program-rules';
import type { TierProgress } from './tier-progress';
import { evaluateTier, overrideTier, releaseTierOverride, TierStatus, yearEndReevaluation } from './tiers';

const MID_2026 = new Date('2026-05-01T10:00:00Z');
const NEW_YEAR_2027 = new Date('2027-01-01T00:05:00Z');
const progress = (nights = 0, stays = 0, basePoints = 0): TierProgress => ({ nights, stays, basePoints });
const member: TierStatus = { tierId: 'member', validUntil: null };
const status = (tierId: string, year: number): TierStatus => ({ tierId, validUntil: endOfYear(year) });
const RECOMPUTE: ProgramRules = { ...DEFAULT_PROGRAM, downgradePolicy: 'recompute' };

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
