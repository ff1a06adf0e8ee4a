import type { Role } from '@loyalty/auth';
import fc from 'fast-check';
import { LedgerAccount, LedgerChange } from './account';
import { addMinutes } from './calendar';
import { checkInvariants } from './invariants';
import { LedgerError } from './ledger-error';
import { earned, POLICY, share, T0 } from './ledger.fixtures';

// Random histories against the invariants: after every step of every run, every account must still be
// consistent (balance = entries = lots, nothing negative, no stay counted twice, clawback explained), and
// each change must move the balance by exactly the entries it returned. A small pool of stays and three
// accounts make duplicates, cross-account duplicates, merges and clawback common rather than rare.

const SLOTS = 3;
const slot = fc.integer({ min: 0, max: SLOTS - 1 });
const stay = fc.integer({ min: 0, max: 4 });
const points = fc.integer({ min: 1, max: 2_500 });

/** One weighted kind of command: `{ kind, ...fields }`. */
const op = <K extends string, T extends object>(
  weight: number,
  kind: K,
  fields: { [P in keyof T]: fc.Arbitrary<T[P]> },
) => ({
  weight,
  arbitrary: fc.record(fields).map((values) => ({ kind, ...values })),
});

const command = fc.oneof(
  op(5, 'earn', {
    slot,
    stay,
    points: fc.integer({ min: 0, max: 3_000 }),
    lockDays: fc.integer({ min: 0, max: 5 }),
  }),
  op(4, 'hold', { slot, points: fc.integer({ min: 1, max: 1_000 }), ttl: fc.integer({ min: 1, max: 240 }) }),
  op(4, 'confirm', { slot, pick: fc.nat() }),
  op(2, 'release', { slot, pick: fc.nat() }),
  op(1, 'expireHolds', { slot }),
  op(2, 'redeem', { slot, points }),
  op(4, 'reverse', { slot, stay, percent: fc.integer({ min: 1, max: 100 }) }),
  // A late charge: a top-up recording the revenue it earned on, which refunds then take back first.
  op(2, 'topUp', {
    slot,
    stay,
    revenue: fc.integer({ min: 1, max: 100 }),
    points: fc.integer({ min: 0, max: 1_500 }),
  }),
  op(2, 'adjust', {
    slot,
    points: fc.integer({ min: -3_000, max: 3_000 }),
    role: fc.constantFrom<Role>('chain-admin', 'front-desk', 'analyst'),
  }),
  op(1, 'expireLots', { slot, tier: fc.constantFrom('member', 'gold', 'platinum') }),
  op(1, 'releasePending', { slot }),
  op(2, 'transfer', { from: slot, to: slot, points }),
  op(1, 'merge', { survivor: slot, source: slot }),
  op(1, 'suspend', { slot }),
  op(3, 'reactivate', { slot }),
  op(2, 'advance', { days: fc.integer({ min: 1, max: 800 }) }),
);

type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

// Mostly minutes apart, so holds can be settled within their TTL; sometimes days, to end lock periods.
const minutes = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 30 }), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 4 * 24 * 60 }), weight: 1 },
);
const step = fc.record({ command, minutes });

interface World {
  now: Date;
  accounts: LedgerAccount[];
  opened: number;
  sequence: number;
}

const applied = new Map<string, number>();
const count = (what: string): void => {
  applied.set(what, (applied.get(what) ?? 0) + 1);
};

function pick<T>(items: readonly T[], index: number): T | undefined {
  return items.length === 0 ? undefined : items[index % items.length];
}

/** Runs one command; returns the changes made (account slot → change) so the caller can check them. */
function run(
  world: World,
  cmd: Command,
): { slot: number; before: LedgerAccount; change: LedgerChange; absorbed?: LedgerAccount }[] {
  const { now } = world;
  const id = (prefix: string): string => `${prefix}-${(world.sequence += 1)}`;
  const one = (index: number, change: LedgerChange) => [
    { slot: index, before: world.accounts[index], change },
  ];
  switch (cmd.kind) {
    case 'earn': {
      const checkout = addMinutes(now, -cmd.lockDays * 24 * 60);
      return one(
        cmd.slot,
        world.accounts[cmd.slot].earn(earned(`p/S${cmd.stay}`, cmd.points, checkout), id('evt'), POLICY, now),
      );
    }
    case 'hold':
      return one(cmd.slot, world.accounts[cmd.slot].hold(cmd.points, id('hold'), cmd.ttl, now));
    case 'confirm':
    case 'release': {
      const account = world.accounts[cmd.slot];
      // Mostly an open hold; every fourth pick any hold ever placed, so settled ones are tried too.
      const holds = account.toSnapshot().holds.filter((hold) => cmd.pick % 4 === 0 || hold.state === 'open');
      const holdId = pick(holds, cmd.pick)?.id ?? 'none';
      return one(
        cmd.slot,
        cmd.kind === 'confirm'
          ? account.confirmHold(holdId, now, id('order'))
          : account.releaseHold(holdId, now),
      );
    }
    case 'expireHolds':
      return one(cmd.slot, world.accounts[cmd.slot].expireHolds(now));
    case 'redeem':
      return one(cmd.slot, world.accounts[cmd.slot].redeem(cmd.points, id('redemption'), now));
    case 'reverse':
      return one(
        cmd.slot,
        world.accounts[cmd.slot].reverse(`p/S${cmd.stay}`, share(cmd.percent, 100), id('refund'), now),
      );
    case 'topUp':
      return one(
        cmd.slot,
        world.accounts[cmd.slot].topUpStay(
          {
            stayKey: `p/S${cmd.stay}`,
            qualifyingRevenue: { amountMinor: cmd.revenue, currency: 'USD' },
            stayRevenueMinor: cmd.revenue,
            basePoints: cmd.points,
            tierBonus: 0,
            total: cmd.points,
          },
          id('evt'),
          now,
          POLICY,
          now,
        ),
      );
    case 'adjust':
      return one(
        cmd.slot,
        world.accounts[cmd.slot].adjust(
          { points: cmd.points, reason: 'property test', role: cmd.role, staffId: 'staff' },
          POLICY.adjustmentCaps,
          POLICY,
          now,
        ),
      );
    case 'expireLots':
      return one(cmd.slot, world.accounts[cmd.slot].expireLots(now, cmd.tier, POLICY));
    case 'releasePending':
      return one(cmd.slot, world.accounts[cmd.slot].releasePendingLots(now));
    case 'suspend':
      return one(cmd.slot, world.accounts[cmd.slot].suspend('test', now));
    case 'reactivate':
      return one(cmd.slot, world.accounts[cmd.slot].reactivate('test', now));
    case 'transfer': {
      const sender = world.accounts[cmd.from];
      const receiver = world.accounts[cmd.to];
      const out = sender.transferOut(
        cmd.points,
        id('transfer'),
        receiver.id,
        { staffId: 'staff', role: 'front-desk' },
        now,
      );
      const into = receiver.transferIn(out.transfer, now);
      return [
        { slot: cmd.from, before: sender, change: out },
        { slot: cmd.to, before: receiver, change: into },
      ];
    }
    case 'merge': {
      const survivor = world.accounts[cmd.survivor];
      const source = world.accounts[cmd.source];
      const merged = survivor.mergeFrom(source, now);
      return [{ slot: cmd.survivor, before: survivor, change: merged, absorbed: source }];
    }
    case 'advance':
      world.now = addMinutes(now, cmd.days * 24 * 60);
      return [];
  }
}

function newAccount(world: World): LedgerAccount {
  world.opened += 1;
  return LedgerAccount.open(`acc${world.opened}`, `guest${world.opened}`, world.now);
}

/** Points redeemed, then the stay that earned them refunded (clawback owed), then settled by a later stay. */
const REDEEMED_THEN_REFUNDED: fc.RecordValue<{ command: Command; minutes: number }>[] = [
  { command: { kind: 'earn', slot: 0, stay: 0, points: 1_000, lockDays: 0 }, minutes: 0 },
  { command: { kind: 'advance', days: 30 }, minutes: 0 },
  { command: { kind: 'releasePending', slot: 0 }, minutes: 0 },
  { command: { kind: 'redeem', slot: 0, points: 1_000 }, minutes: 0 },
  { command: { kind: 'reverse', slot: 0, stay: 0, percent: 100 }, minutes: 0 },
  { command: { kind: 'earn', slot: 0, stay: 1, points: 2_000, lockDays: 0 }, minutes: 0 },
  { command: { kind: 'advance', days: 30 }, minutes: 0 },
  { command: { kind: 'releasePending', slot: 0 }, minutes: 0 },
];

/** A stay's points expire, then the stay is refunded in full. */
const EXPIRED_THEN_REFUNDED: fc.RecordValue<{ command: Command; minutes: number }>[] = [
  { command: { kind: 'earn', slot: 0, stay: 0, points: 1_000, lockDays: 0 }, minutes: 0 },
  { command: { kind: 'releasePending', slot: 0 }, minutes: 0 },
  { command: { kind: 'advance', days: 800 }, minutes: 0 },
  { command: { kind: 'expireLots', slot: 0, tier: 'member' }, minutes: 0 },
  { command: { kind: 'reverse', slot: 0, stay: 0, percent: 100 }, minutes: 0 },
];

describe('LedgerAccount (property)', () => {
  it('should keep every invariant after every step when random operations run in any order', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60, size: 'max' }), (steps) => {
        const world: World = { now: T0, accounts: [], opened: 0, sequence: 0 };
        world.accounts = Array.from({ length: SLOTS }, () => newAccount(world));
        for (const { command: cmd, minutes } of steps) {
          world.now = addMinutes(world.now, minutes);
          let changes: ReturnType<typeof run>;
          try {
            changes = run(world, cmd);
          } catch (error) {
            if (!(error instanceof LedgerError)) throw error;
            count(`refused:${error.code}`);
            continue;
          }
          count(cmd.kind);
          for (const { slot: index, before, change, absorbed } of changes) {
            for (const event of change.events) count(`event:${event.type}`);
            if (change.entries.some((entry) => (entry.clawbackDelta ?? 0) > 0)) count('clawback-created');
            if (change.entries.some((entry) => entry.cause.kind === 'duplicate-credit'))
              count('duplicate-credit-reversed');
            if (change.entries.some((entry) => (entry.alreadyExpired ?? 0) > 0))
              count('expired-points-reversed');
            if (change.entries.some((entry) => entry.cause.stayRevenueMinor !== undefined))
              count('top-up-reversed-newest-first');
            const moved = change.entries.reduce((sum, entry) => sum + entry.points, 0);
            const brought = absorbed?.balances().total ?? 0;
            expect(change.account.balances().total).toBe(before.balances().total + brought + moved);
            world.accounts[index] = change.account;
          }
          if (cmd.kind === 'merge') {
            world.accounts[cmd.source] = newAccount(world);
          }
          for (const account of world.accounts) {
            expect(checkInvariants(account)).toEqual([]);
            expect(account.balances().available).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      // Random runs meet a refund of expired points, or a clawback settled, in only some of their 400 runs
      // (a refund of expired points is missing from about one set of runs in eight): too rarely for the guard
      // below to hold every time. These histories, run first, meet them always.
      { numRuns: 400, examples: [[EXPIRED_THEN_REFUNDED], [REDEEMED_THEN_REFUNDED]] },
    );
  });

  afterAll(() => {
    // Guard against a vacuous property: every kind of operation must have succeeded at least a few times.
    for (const kind of [
      'earn',
      'hold',
      'confirm',
      'release',
      'redeem',
      'reverse',
      'topUp',
      'adjust',
      'expireLots',
      'transfer',
      'merge',
    ]) {
      expect(applied.get(kind) ?? 0).toBeGreaterThan(5);
    }
    for (const outcome of [
      'refused:INSUFFICIENT_POINTS',
      'clawback-created',
      'event:clawback-settled',
      'event:points-expired',
      'duplicate-credit-reversed',
      'expired-points-reversed',
      'event:stay-already-credited',
      'top-up-reversed-newest-first',
    ]) {
      expect(applied.get(outcome) ?? 0).toBeGreaterThan(0);
    }
  });
});
