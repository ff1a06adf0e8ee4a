import { GuestSignals, NEWEST, TIER_RAISED, type SignalRow } from './guest-signals';
import { instantOf } from './instant';

const GUEST = '6f1c2b1e-0000-4000-8000-000000000001';
const OTHER = '6f1c2b1e-0000-4000-8000-000000000002';
const day = (n: number) => instantOf(new Date(Date.UTC(2031, 2, n, 9)).toISOString());
const downgrade = (guestId: string, n: number): SignalRow => ({
  guestId,
  kind: 'tier-downgrade',
  reference: `gold->silver@${n}`,
  at: day(n),
});

describe('GuestSignals', () => {
  it('should keep the newer instant when a row is recorded again, as the upsert with greatest does', () => {
    const signals = new GuestSignals([]);
    signals.record(GUEST, TIER_RAISED, NEWEST, day(5));
    signals.record(GUEST, TIER_RAISED, NEWEST, day(3));
    expect(signals.newest(GUEST, [TIER_RAISED])).toBe(day(5));
    signals.record(GUEST, TIER_RAISED, NEWEST, day(7));
    expect(signals.changes().written).toEqual([
      { guestId: GUEST, kind: TIER_RAISED, reference: NEWEST, at: day(7) },
    ]);
  });

  it('should clear only the guest’s rows of the kind up to the instant', () => {
    const signals = new GuestSignals([downgrade(GUEST, 2), downgrade(GUEST, 6), downgrade(OTHER, 2)]);
    signals.clearUntil(GUEST, 'tier-downgrade', day(5));
    expect(signals.changes()).toEqual({
      written: [],
      removed: [{ guestId: GUEST, kind: 'tier-downgrade', reference: 'gold->silver@2' }],
    });
  });

  it('should clear every row of a kind, or the one with the reference', () => {
    const signals = new GuestSignals([downgrade(GUEST, 2), downgrade(GUEST, 6)]);
    signals.clear(GUEST, 'tier-downgrade', 'gold->silver@6');
    expect(signals.has(GUEST, 'tier-downgrade', 'gold->silver@6')).toBe(false);
    expect(signals.has(GUEST, 'tier-downgrade', 'gold->silver@2')).toBe(true);
    signals.clear(GUEST, 'tier-downgrade');
    expect(signals.changes().removed).toHaveLength(2);
  });

  it('should write nothing for a row removed and recorded again at its stored instant', () => {
    const signals = new GuestSignals([downgrade(GUEST, 2)]);
    signals.clear(GUEST, 'tier-downgrade');
    signals.record(GUEST, 'tier-downgrade', 'gold->silver@2', day(2));
    expect(signals.changes()).toEqual({ written: [], removed: [] });
  });

  it('should write a row removed and recorded again at an older instant at that instant', () => {
    const signals = new GuestSignals([downgrade(GUEST, 6)]);
    signals.clear(GUEST, 'tier-downgrade');
    signals.record(GUEST, 'tier-downgrade', 'gold->silver@6', day(4));
    expect(signals.changes()).toEqual({ written: [{ ...downgrade(GUEST, 6), at: day(4) }], removed: [] });
  });

  it('should tell a complaint’s newest close and reopen apart from other complaints’', () => {
    const signals = new GuestSignals([
      { guestId: GUEST, kind: 'complaint-closed', reference: 'c1', at: day(3) },
      { guestId: GUEST, kind: 'complaint-reopened', reference: 'c2', at: day(4) },
    ]);
    expect(signals.turns(GUEST, 'c1')).toEqual({ closedAt: day(3), reopenedAt: null });
    expect(signals.turns(GUEST, 'c2')).toEqual({ closedAt: null, reopenedAt: day(4) });
    expect(signals.turns(OTHER, 'c1')).toEqual({ closedAt: null, reopenedAt: null });
  });
});
