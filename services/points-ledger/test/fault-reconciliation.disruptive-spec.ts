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
import {
  calculateEarn,
  evaluateTier,
  promotionLimitPeriod,
  qualifyingYearOf,
  stayKeyOf,
  type QualifyingCredit,
  type TierStatus,
} from '../src/domain';
import { LEDGER_PROGRAM } from '../src/ledger/ledger-program';

type StayCompleted = EventData<'stay-completed'>;

const KILLS = 4;

/** One stay as the ledger credited it: to which account, with how many points, at what time. */
interface Credit {
  account_id: string;
  stay_key: string;
  points: number;
  credited_at: Date;
}

/** Every well-formed stay sent, once, by the key the ledger credits it under. */
function staysSent(deliveries: Delivery[]): Map<string, StayCompleted> {
  const stays = new Map<string, StayCompleted>();
  for (const delivery of deliveries) {
    if (delivery.malformed) continue;
    const stay = (JSON.parse(delivery.value) as { data: StayCompleted }).data;
    stays.set(stayKeyOf(stay), stay);
  }
  return stays;
}

/**
 * What the earning rules give each credited stay, replayed per account in the order and at the time the
 * ledger credited them: the tier held, the year's qualifying progress (milestones) and the promotion
 * awards so far all depend on the stays credited before. The order is the ledger's to choose, since a
 * guest's stays reach it through profiles from several partitions; the points for that order are not.
 * Merges are not replayed: simulated guests share no identity evidence, so profiles merges none of them.
 */
function replayByTheRules(
  creditsInOrder: Credit[],
  stays: Map<string, StayCompleted>,
): { points: Map<string, number>; progress: Map<string, QualifyingCredit>; tiers: Map<string, string> } {
  const points = new Map<string, number>();
  const progressOf = new Map<string, QualifyingCredit>();
  const tiers = new Map<string, string>();
  const byAccount = new Map<string, Credit[]>();
  for (const credit of creditsInOrder) {
    const credits = byAccount.get(credit.account_id) ?? [];
    credits.push(credit);
    byAccount.set(credit.account_id, credits);
  }
  for (const credits of byAccount.values()) {
    let tier: TierStatus = { tierId: 'member', validUntil: null };
    const progress = new Map<number, QualifyingCredit>();
    const awards = new Map<string, number>();
    for (const credit of credits) {
      const stay = stays.get(credit.stay_key);
      if (!stay) throw new Error(`the ledger credited ${credit.stay_key}, which was never sent`);
      const year = qualifyingYearOf(stay.departure);
      const yearToDate = progress.get(year) ?? { nights: 0, stays: 0, basePoints: 0 };
      const promotionUsage = Object.fromEntries(
        LEDGER_PROGRAM.promotions.map((promotion) => [
          promotion.id,
          awards.get(`${promotion.id}|${promotionLimitPeriod(promotion, stay.departure)}`) ?? 0,
        ]),
      );
      const earn = calculateEarn(
        { ...stay, stayId: stay.reservationId, checkedOutAt: new Date(stay.checkedOutAt) },
        // Only stays are sent, never a correction: the year never falls below what it reached.
        { tierId: tier.tierId, promotionUsage, yearToDate, reached: yearToDate },
        LEDGER_PROGRAM,
        credit.credited_at,
      );
      points.set(credit.stay_key, earn.total);
      for (const line of earn.promotions) {
        const key = `${line.id}|${line.limitPeriod}`;
        awards.set(key, (awards.get(key) ?? 0) + 1);
      }
      const after = {
        nights: yearToDate.nights + earn.qualifying.nights,
        stays: yearToDate.stays + earn.qualifying.stays,
        basePoints: yearToDate.basePoints + earn.qualifying.basePoints,
      };
      progress.set(year, after);
      tier = evaluateTier(after, LEDGER_PROGRAM, tier, credit.credited_at, year).status;
    }
    const account = credits[0].account_id;
    tiers.set(account, tier.tierId);
    for (const [year, credit] of progress) progressOf.set(`${account}|${year}`, credit);
  }
  return { points, progress: progressOf, tiers };
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

  it('should credit every sent stay exactly once, with the points, progress and tier the rules give, after 4 kills mid-backfill', async () => {
    const seed = Number(process.env.FAULT_SEED ?? Date.now() % 100_000);
    // Every kind of guest, over a year end and the spring promotion: regulars reach tiers, so what a stay
    // earns depends on the stays credited before it, and a crash between them must not change it.
    const simulation = simulate({
      seed,
      guests: 2_000,
      startDate: '2025-11-01',
      days: 240,
      duplicateRate: 0.05,
      outOfOrderRate: 0.05,
      malformedRate: 0.01,
    });
    const sent = simulation.deliveries;
    const stays = staysSent(sent);

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

    const merged = await profilesDb.query('select id, merged_into from guests where merged_into is not null');
    expect({ seed, merged }).toEqual({ seed, merged: [] });
    const credits = await ledgerDb.query<Credit>(
      `select c.account_id, c.stay_key, c.points, c.credited_at
       from credited_stays c join ledger_entries e on e.entry_key = c.entry_key
       order by c.account_id, e.sequence`,
    );
    const creditedKeys = new Set(credits.map((credit) => credit.stay_key));
    const uncredited = [...stays.keys()].filter((key) => !creditedKeys.has(key));
    expect({ seed, killed, credited: credits.length, uncredited }).toEqual({
      seed,
      killed,
      credited: stays.size,
      uncredited: [],
    });
    const rules = replayByTheRules(credits, stays);
    const wrong = credits.filter((c) => rules.points.get(c.stay_key) !== c.points);
    expect({ seed, wrong }).toEqual({ seed, wrong: [] });

    // What later stays are earned with: each year's qualifying progress and the tier reached.
    const progress = await ledgerDb.query<{ key: string; nights: number; stays: number; basePoints: number }>(
      `select account_id || '|' || year as key, nights, stays, base_points as "basePoints"
       from qualifying_progress`,
    );
    const wrongProgress = progress.filter(({ key, ...stored }) => {
      const replayed = rules.progress.get(key);
      return (
        replayed?.nights !== stored.nights ||
        replayed.stays !== stored.stays ||
        replayed.basePoints !== stored.basePoints
      );
    });
    expect({ seed, rows: progress.length, wrongProgress }).toEqual({
      seed,
      rows: rules.progress.size,
      wrongProgress: [],
    });
    const tiers = await ledgerDb.query<{ id: string; tier_id: string }>(
      'select id, tier_id from accounts where merged_into is null',
    );
    const wrongTiers = tiers.filter((account) => rules.tiers.get(account.id) !== account.tier_id);
    expect({ seed, wrongTiers }).toEqual({ seed, wrongTiers: [] });
    expect(tiers.filter((account) => account.tier_id !== 'member').length).toBeGreaterThan(100);

    // Every account holds exactly the points of its own stays (profiles decides whose they are).
    const owners = await profilesDb.query<{ property_id: string; reservation_id: string; guest_id: string }>(
      `select s.property_id, s.reservation_id, coalesce(g.merged_into, g.id) as guest_id
       from stays s join guests g on g.id = s.guest_id`,
    );
    const expectedByGuest = new Map<string, number>();
    for (const { property_id: propertyId, reservation_id: reservationId, guest_id } of owners) {
      const points = rules.points.get(stayKeyOf({ propertyId, reservationId })) ?? 0;
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
