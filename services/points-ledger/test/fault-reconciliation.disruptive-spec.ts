import { setTimeout as sleep } from 'node:timers/promises';
import type { EventData } from '@loyalty/contracts';
import { simulate, SeededRandom, type Delivery } from '@loyalty/simulator';
import {
  createTestDatabase,
  deleteTopicsWithPrefix,
  KafkaProbe,
  ServiceProcess,
  serviceEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@loyalty/testing';
import { calculateEarn, stayKeyOf, type EarnResult } from '../src/domain';
import { LEDGER_PROGRAM } from '../src/ledger/ledger-program';

type StayCompleted = EventData<'stay-completed'>;

const KILLS = 4;

/**
 * The stays a guest can earn on in any order with the same result: while a guest stays below every
 * tier threshold, below the first milestone and within each promotion's award limit, each stay earns
 * exactly what it earns alone. Guests beyond that are left out, so the oracle needs no ordering.
 */
function orderIndependentStays(
  deliveries: Delivery[],
): Map<string, { stay: StayCompleted; earn: EarnResult }> {
  const unique = new Map<string, StayCompleted>();
  for (const delivery of deliveries) {
    if (delivery.malformed) continue;
    const stay = (JSON.parse(delivery.value) as { data: StayCompleted }).data;
    unique.set(stayKeyOf(stay), stay);
  }
  const byGuest = new Map<string, { stay: StayCompleted; earn: EarnResult }[]>();
  for (const stay of unique.values()) {
    const earn = calculateEarn(
      {
        stayId: stay.reservationId,
        propertyId: stay.propertyId,
        reservationId: stay.reservationId,
        arrival: stay.arrival,
        departure: stay.departure,
        channel: stay.channel,
        revenue: stay.revenue,
        checkedOutAt: new Date(stay.checkedOutAt),
      },
      { tierId: 'member', promotionUsage: {}, yearToDate: { nights: 0, stays: 0 } },
      LEDGER_PROGRAM,
      new Date(stay.checkedOutAt),
    );
    const loyaltyNumber = String(stay.guest.loyaltyNumber);
    byGuest.set(loyaltyNumber, [...(byGuest.get(loyaltyNumber) ?? []), { stay, earn }]);
  }
  const firstTier = LEDGER_PROGRAM.tiers[1].thresholds;
  const firstMilestone = Math.min(...LEDGER_PROGRAM.milestones.map((m) => m.startAt));
  const kept = new Map<string, { stay: StayCompleted; earn: EarnResult }>();
  for (const stays of byGuest.values()) {
    const nights = stays.reduce((sum, s) => sum + s.earn.qualifying.nights, 0);
    const basePoints = stays.reduce((sum, s) => sum + s.earn.qualifying.basePoints, 0);
    const awards = new Map<string, number>();
    for (const line of stays.flatMap((s) => s.earn.promotions)) {
      const key = `${line.id}|${line.limitPeriod}`;
      awards.set(key, (awards.get(key) ?? 0) + 1);
    }
    const withinLimits = LEDGER_PROGRAM.promotions.every((promotion) =>
      [...awards].every(
        ([key, count]) =>
          !key.startsWith(`${promotion.id}|`) || count <= (promotion.limit?.maxAwards ?? count),
      ),
    );
    const belowTier =
      nights < (firstTier.nights ?? Infinity) &&
      stays.length < (firstTier.stays ?? Infinity) &&
      basePoints < (firstTier.basePoints ?? Infinity);
    if (belowTier && nights < firstMilestone && withinLimits)
      for (const s of stays) kept.set(stayKeyOf(s.stay), s);
  }
  return kept;
}

describe('the pipeline reconciles to the earning rules after random SIGKILLs (real broker, Postgres, processes)', () => {
  const prefix = uniqueTopicPrefix();
  const probe = new KafkaProbe();
  let profilesDb: TestDatabase;
  let ledgerDb: TestDatabase;
  let services: ServiceProcess[] = [];

  beforeAll(async () => {
    [profilesDb, ledgerDb] = await Promise.all([
      createTestDatabase('fault_profiles'),
      createTestDatabase('fault_ledger'),
    ]);
    services = await Promise.all([
      ServiceProcess.create('profiles', serviceEnv(profilesDb.url, prefix)),
      ServiceProcess.create('points-ledger', serviceEnv(ledgerDb.url, prefix)),
    ]);
    for (const service of services) await service.start();
  });

  afterAll(async () => {
    for (const service of services) await service.kill();
    await probe.close();
    await Promise.all([profilesDb?.drop(), ledgerDb?.drop()]);
    await deleteTopicsWithPrefix(prefix);
  });

  it('should credit every sent stay exactly once, with the points the rules give, after 4 kills mid-backfill', async () => {
    const seed = Number(process.env.FAULT_SEED ?? Date.now() % 100_000);
    const simulation = simulate({
      seed,
      guests: 2_000,
      startDate: '2025-03-01',
      days: 120,
      mix: { business: 0, leisure: 0.6, oneTime: 0.4, lapsing: 0 },
      duplicateRate: 0.05,
      outOfOrderRate: 0.05,
      malformedRate: 0.01,
    });
    const expected = orderIndependentStays(simulation.deliveries);
    const sent = simulation.deliveries.filter((d) => {
      if (d.malformed) return true;
      const stay = (JSON.parse(d.value) as { data: StayCompleted }).data;
      return expected.has(stayKeyOf(stay));
    });
    expect(expected.size).toBeGreaterThan(500);

    const random = new SeededRandom(seed);
    const slice = Math.ceil(sent.length / (KILLS * 3));
    let sendingDone = false;
    const sending = (async () => {
      for (let i = 0; i < sent.length; i += slice) {
        const messages = sent.slice(i, i + slice).map((d) => ({ key: d.key, value: d.value }));
        await probe.produce(`${prefix}stay-completed`, messages);
        await sleep(300);
      }
      sendingDone = true;
    })();
    const killed: string[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      await sleep(random.int(400, 1_200));
      const victim = random.pick(services);
      killed.push(`${victim.service}${sendingDone ? '' : ' (mid-backfill)'}`);
      await victim.kill();
      await victim.start();
    }
    await sending;
    expect(killed.filter((k) => k.endsWith('(mid-backfill)')).length).toBeGreaterThan(0);

    await probe.awaitGroupCaughtUp(`${prefix}profiles`, [`${prefix}stay-completed`], { timeoutMs: 120_000 });
    await probe.awaitGroupCaughtUp(`${prefix}points-ledger`, [`${prefix}stay-recorded`], {
      timeoutMs: 120_000,
    });

    const credited = await ledgerDb.query<{ stay_key: string; points: number; guest_id: string }>(
      `select c.stay_key, c.points, a.guest_id from credited_stays c join accounts a on a.id = c.account_id`,
    );
    expect({ seed, killed, stays: credited.length }).toEqual({ seed, killed, stays: expected.size });
    const wrong = credited.filter((c) => expected.get(c.stay_key)?.earn.total !== c.points);
    expect({ seed, wrong }).toEqual({ seed, wrong: [] });

    // Every account holds exactly the points of its own stays (profiles decides whose they are).
    const owners = await profilesDb.query<{ property_id: string; reservation_id: string; guest_id: string }>(
      `select s.property_id, s.reservation_id, coalesce(g.merged_into, g.id) as guest_id
       from stays s join guests g on g.id = s.guest_id`,
    );
    const expectedByGuest = new Map<string, number>();
    for (const { property_id: propertyId, reservation_id: reservationId, guest_id } of owners) {
      const points = expected.get(stayKeyOf({ propertyId, reservationId }))?.earn.total ?? 0;
      expectedByGuest.set(guest_id, (expectedByGuest.get(guest_id) ?? 0) + points);
    }
    const accounts = await ledgerDb.query<{ guest_id: string; points: string }>(
      `select a.guest_id, (select coalesce(sum(points), 0) from ledger_entries e where e.account_id = a.id) as points
       from accounts a where a.merged_into is null`,
    );
    const mismatched = accounts
      .map((a) => ({ ...a, expected: expectedByGuest.get(a.guest_id) ?? 0 }))
      .filter((a) => Number(a.points) !== a.expected);
    expect({ seed, accounts: accounts.length, mismatched }).toEqual({
      seed,
      accounts: new Set(owners.map((o) => o.guest_id)).size,
      mismatched: [],
    });
  }, 300_000);
});
