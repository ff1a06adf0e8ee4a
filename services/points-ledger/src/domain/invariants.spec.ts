import type { AccountSnapshot } from './account-snapshot';
import { checkInvariants, InvariantCode } from './invariants';
import type { LedgerEntry } from './ledger-entry';
import { accountWith, at, earned, POLICY, T0 } from './ledger.fixtures';

const healthy = accountWith(1_000)
  .earn(earned('p/R2', 500), 'e2', POLICY, T0)
  .account.hold(200, 'hold-1', 15, T0)
  .account.toSnapshot();

const codes = (snapshot: AccountSnapshot): InvariantCode[] => [
  ...new Set(checkInvariants(snapshot).map((violation) => violation.code)),
];

const withEntry = (snapshot: AccountSnapshot, entry: Partial<LedgerEntry>): AccountSnapshot => ({
  ...snapshot,
  entries: [...snapshot.entries, { ...snapshot.entries[0], id: 'acc-1:99', sequence: 99, ...entry }],
});

describe('checkInvariants', () => {
  it('should find nothing wrong when the account was built by its operations', () => {
    expect(checkInvariants(healthy)).toEqual([]);
  });

  it('should report a balance mismatch when an entry has no lots behind it', () => {
    expect(
      codes(withEntry(healthy, { type: 'adjust', points: 50, cause: { kind: 'staff-adjustment' } })),
    ).toEqual(['BALANCE_MISMATCH', 'LOT_ENTRY_MISMATCH']);
  });

  it('should report a lot that does not trace to its entry when points are moved between lots', () => {
    const [first, second, ...rest] = healthy.lots;
    const tampered = {
      ...healthy,
      lots: [{ ...first, points: first.points + 1 }, { ...second, points: second.points - 1 }, ...rest],
    };
    expect(codes(tampered)).toEqual(['LOT_ENTRY_MISMATCH']);
  });

  it('should report an invalid lot when a lot has no points or a negative amount', () => {
    const tampered = { ...healthy, lots: [...healthy.lots, { ...healthy.lots[0], id: 'x', points: 0 }] };
    expect(codes(tampered)).toContain('INVALID_LOT');
  });

  it('should report a hold mismatch when held lots do not add up to the hold', () => {
    const tampered = { ...healthy, holds: healthy.holds.map((hold) => ({ ...hold, points: 201 })) };
    expect(codes(tampered)).toEqual(['HOLD_MISMATCH']);
  });

  it('should report a stay credited twice when one account has two earn entries for it', () => {
    const duplicate = withEntry(healthy, {
      type: 'earn',
      points: 0,
      cause: { kind: 'stay', stayKey: 'p/R2' },
    });
    expect(codes(duplicate)).toEqual(['STAY_CREDITED_TWICE']);
  });

  it('should report clawback owed when the entries do not explain it or unheld points could pay it', () => {
    expect(codes({ ...healthy, clawbackOwed: 10 })).toEqual(['CLAWBACK_MISMATCH']);
  });

  it('should report a negative clawback and duplicate entry ids when they occur', () => {
    expect(codes({ ...healthy, clawbackOwed: -1 })).toContain('NEGATIVE_BALANCE');
    expect(codes({ ...healthy, entries: [...healthy.entries, healthy.entries[0]] })).toContain(
      'DUPLICATE_ENTRY',
    );
  });

  it('should report an over-reversed stay when reversals exceed what it earned', () => {
    const earn = healthy.entries[0];
    const tampered = withEntry(healthy, {
      type: 'reverse',
      points: 0,
      clawbackDelta: 5_000,
      cause: { kind: 'stay-adjustment', earnEntryId: earn.id },
    });
    expect(codes({ ...tampered, clawbackOwed: 5_000, lots: tampered.lots })).toContain('OVER_REVERSED');
  });

  it('should report expired points counted twice when a reversal counts more of an earn as expired than expired', () => {
    const earn = healthy.entries[0];
    const tampered = withEntry(healthy, {
      type: 'reverse',
      points: 0,
      alreadyExpired: 10,
      cause: { kind: 'stay-adjustment', earnEntryId: earn.id },
    });
    expect(codes(tampered)).toEqual(['EXPIRY_COUNTED_TWICE']);
  });

  it('should accept a loaded account as well as a snapshot', () => {
    expect(checkInvariants(accountWith(10, 'acc-1', at(1)))).toEqual([]);
  });
});
