import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@loyalty/contracts';
import { LedgerApp } from './ledger-app';

const SAMPLE_POINTS = 6786;

type Stay = EventEnvelope<'stay-recorded'>;
type Adjustment = EventEnvelope<'stay-adjusted'>;

/**
 * A `stay-adjusted` comes straight from the property, its stay through profiles: the adjustment routinely
 * reaches the ledger first, and must wait for the stay rather than be dead-lettered.
 */
describe('points-ledger with stay adjustments that arrive before their stay (real broker and Postgres)', () => {
  let app: LedgerApp;

  beforeAll(async () => {
    app = await LedgerApp.start('ledger_early_adjustments', [
      'points-earned',
      'points-reversed',
      'tier-changed',
    ]);
    await app.probe.watch(app.topic('stay-adjusted.dlq'));
  });

  afterAll(async () => {
    await app.close();
  });

  async function parked(stay: Stay): Promise<number> {
    const [row] = await app.db.query<{ n: string }>(
      'select count(*) as n from parked_stay_adjustments where stay_key = $1',
      [`${stay.data.propertyId}/${stay.data.reservationId}`],
    );
    return Number(row.n);
  }

  async function creditedNights(stay: Stay): Promise<number> {
    const [row] = await app.db.query<{ nights: number }>(
      'select nights from credited_stays where stay_key = $1',
      [`${stay.data.propertyId}/${stay.data.reservationId}`],
    );
    return row.nights;
  }

  /** What was published for a guest, without the ids that differ from guest to guest. */
  function published(guestId: string) {
    return {
      earned: app
        .records('points-earned', guestId)
        .map(({ points, balanceAfter }) => ({ points, balanceAfter })),
      reversed: app
        .records('points-reversed', guestId)
        .map(({ pointsDelta, balanceAfter, reason }) => ({ pointsDelta, balanceAfter, reason })),
      tiers: app.records('tier-changed', guestId).map(({ from, to, reason }) => ({ from, to, reason })),
    };
  }

  async function account(guestId: string) {
    const { available, pending, balance, lifetimeEarned, tier, progress } = await app.balance(guestId);
    return { available, pending, balance, lifetimeEarned, tier, progress };
  }

  /** Nights corrected to 10 (silver at once), a late charge (topped up at silver), then a refund. */
  const threeAdjustmentsOf = (stay: Stay): Adjustment[] => [
    app.adjustment(stay, 'correction', { nights: 10, daysAgo: 3 }),
    app.adjustment(stay, 'late-charge', { room: 10_000, daysAgo: 2 }),
    app.adjustment(stay, 'refund', { room: -18_000, daysAgo: 1 }),
  ];

  it('should apply adjustments sent before their stay once it arrives, with the points and events of the same adjustments sent after it', async () => {
    const early = randomUUID();
    const earlyStay = app.stay(early);
    const earlyAdjustments = threeAdjustmentsOf(earlyStay);
    await app.sendAdjustments(...earlyAdjustments);
    expect(await parked(earlyStay)).toBe(3);
    await app.awaitPublished('points-reversed');
    expect(app.records('points-reversed', early)).toHaveLength(0);
    await app.send(earlyStay);

    const inOrder = randomUUID();
    const inOrderStay = app.stay(inOrder);
    await app.send(inOrderStay);
    await app.awaitRecords('points-earned', 1, inOrder);
    await app.sendAdjustments(...threeAdjustmentsOf(inOrderStay));

    for (const guestId of [early, inOrder]) {
      await app.awaitRecords('points-earned', 2, guestId);
      // The refund takes the newest revenue first: all of the charge's top-up, then 80.00 of the stay's.
      await app.awaitRecords('points-reversed', 2, guestId);
      await app.awaitRecords('tier-changed', 1, guestId);
    }
    await app.caughtUp('stay-recorded', 'stay-adjusted');
    expect(published(early)).toEqual(published(inOrder));
    expect(published(early)).toMatchObject({
      earned: [{ points: SAMPLE_POINTS }, { points: expect.any(Number) }],
      reversed: [{ reason: 'stay-adjusted' }, { reason: 'stay-adjusted' }],
      tiers: [{ from: 'member', to: 'silver', reason: 'qualified' }],
    });
    expect(await account(early)).toEqual(await account(inOrder));
    expect(await creditedNights(earlyStay)).toBe(10);
    expect(await parked(earlyStay)).toBe(0);
    // The top-up is published as a consequence of the late charge, as it would have been after the stay.
    const topUp = app.probe
      .seen(app.topic('points-earned'))
      .map((record) => record.json<{ causationid: string; data: { guestId: string; points: number } }>())
      .find((event) => event.data.guestId === early && event.data.points !== SAMPLE_POINTS);
    expect(topUp?.causationid).toBe(earlyAdjustments[1].id);
    expect((await app.reconcile()).differences).toEqual([]);
  });

  it('should keep the nights of the newer correction when an older one arrives after it, before or after the stay is credited', async () => {
    const credited = randomUUID();
    const creditedStay = app.stay(credited);
    await app.send(creditedStay);
    await app.awaitRecords('points-earned', 1, credited);
    await app.sendAdjustments(
      app.adjustment(creditedStay, 'correction', { nights: 1, daysAgo: 1 }),
      app.adjustment(creditedStay, 'correction', { nights: 5, daysAgo: 2 }),
    );
    expect(await creditedNights(creditedStay)).toBe(1);
    expect((await app.balance(credited)).progress).toMatchObject({ nights: 1, stays: 1 });

    const waiting = randomUUID();
    const waitingStay = app.stay(waiting);
    await app.sendAdjustments(
      app.adjustment(waitingStay, 'correction', { nights: 1, daysAgo: 1 }),
      app.adjustment(waitingStay, 'correction', { nights: 5, daysAgo: 2 }),
    );
    await app.send(waitingStay);
    await app.awaitRecords('points-earned', 1, waiting);
    await app.caughtUp('stay-recorded');
    expect(await creditedNights(waitingStay)).toBe(1);
    expect((await app.balance(waiting)).progress).toMatchObject({ nights: 1, stays: 1 });
  });

  it('should keep, of two corrections posted at one instant, the one with the later key, whichever arrives last, before or after the stay is credited', async () => {
    /** `A-…` takes the stay to 0 nights and `B-…` to 2, posted at one instant: B's key is later. */
    const tied = (stay: Stay) => {
      const suffix = randomUUID().slice(0, 8);
      const [zero, two] = [0, 2].map((nights) => app.adjustment(stay, 'correction', { nights, daysAgo: 1 }));
      const at = zero.data.adjustedAt;
      return {
        zero: app.event('stay-adjusted', { ...zero.data, adjustmentId: `A-${suffix}`, adjustedAt: at }),
        two: app.event('stay-adjusted', { ...two.data, adjustmentId: `B-${suffix}`, adjustedAt: at }),
      };
    };
    const credited = randomUUID();
    const creditedStay = app.stay(credited);
    await app.send(creditedStay);
    await app.awaitRecords('points-earned', 1, credited);
    const onCredited = tied(creditedStay);
    await app.sendAdjustments(onCredited.two);
    await app.sendAdjustments(onCredited.zero);
    expect(await creditedNights(creditedStay)).toBe(2);
    expect((await app.balance(credited)).progress).toMatchObject({ nights: 2, stays: 1 });

    const waiting = randomUUID();
    const waitingStay = app.stay(waiting);
    const onWaiting = tied(waitingStay);
    await app.sendAdjustments(onWaiting.two, onWaiting.zero);
    await app.send(waitingStay);
    await app.awaitRecords('points-earned', 1, waiting);
    await app.caughtUp('stay-recorded');
    expect(await creditedNights(waitingStay)).toBe(2);
    expect((await app.balance(waiting)).progress).toMatchObject({ nights: 2, stays: 1 });
  });

  it('should not pay a nights milestone again when a correction parked before the stay that crossed it takes nights back', async () => {
    const guestId = randomUUID();
    await app.send(app.stayOfNights(guestId, 38));
    await app.awaitRecords('points-earned', 1, guestId);
    // Three nights (38 to 41, the 40-night milestone paid), corrected to one before the stay arrives.
    const stay = app.stayOfNights(guestId, 3);
    await app.sendAdjustments(app.adjustment(stay, 'correction', { nights: 1, daysAgo: 1 }));
    expect(await parked(stay)).toBe(1);
    await app.send(stay);
    await app.awaitRecords('points-earned', 2, guestId);
    await app.caughtUp('stay-recorded');
    expect((await app.balance(guestId)).progress).toMatchObject({ nights: 39 });
    expect(await app.milestonesPaid(guestId)).toEqual([40]);
    // 39 to 41: the year had reached 41 when the 40 was paid.
    await app.send(app.stayOfNights(guestId, 2));
    await app.awaitRecords('points-earned', 3, guestId);
    expect(await app.milestonesPaid(guestId)).toEqual([40]);
  });

  it('should pay a nights milestone a correction parked before its stay crosses when the stay is credited, and not again with the next stay', async () => {
    const guestId = randomUUID();
    await app.send(app.stayOfNights(guestId, 38));
    await app.awaitRecords('points-earned', 1, guestId);
    // One night (38 to 39), corrected to three before the stay arrives: 41, past 40.
    const stay = app.stayOfNights(guestId, 1);
    await app.sendAdjustments(app.adjustment(stay, 'correction', { nights: 3, daysAgo: 1 }));
    await app.send(stay);
    await app.awaitRecords('points-earned', 3, guestId);
    await app.caughtUp('stay-recorded');
    expect(await app.milestonesPaid(guestId)).toEqual([40]);
    await app.send(app.stayOfNights(guestId, 2));
    await app.awaitRecords('points-earned', 4, guestId);
    expect(await app.milestonesPaid(guestId)).toEqual([40]);
  });

  it('should apply an adjustment parked twice under different event ids once, and not again when it comes a third time after the stay', async () => {
    const guestId = randomUUID();
    const stay = app.stay(guestId);
    const refund = app.adjustment(stay, 'refund', { room: -18_000, daysAgo: 1 });
    await app.sendAdjustments(refund, app.event('stay-adjusted', refund.data));
    expect(await parked(stay)).toBe(1);
    await app.send(stay);
    const [reversed] = await app.awaitRecords('points-reversed', 1, guestId);
    const expected = Math.round(SAMPLE_POINTS * (18_000 / 62_550));
    expect(reversed).toMatchObject({ pointsDelta: -expected, balanceAfter: SAMPLE_POINTS - expected });
    await app.sendAdjustments(app.event('stay-adjusted', refund.data));
    await app.caughtUp('stay-recorded');
    expect(app.records('points-reversed', guestId)).toHaveLength(1);
    expect((await app.balance(guestId)).balance).toBe(SAMPLE_POINTS - expected);
  });

  it('should apply an adjustment left parked for a credited stay (parked while the stay was being credited) before the stay’s next one, or by the job', async () => {
    const guestId = randomUUID();
    const stay = app.stay(guestId);
    await app.send(stay);
    await app.awaitRecords('points-earned', 1, guestId);
    await app.caughtUp('stay-recorded');
    // As the crediting transaction, which could not see them, leaves them.
    const leftParked = async (adjustment: Adjustment) =>
      app.db.query(
        `insert into parked_stay_adjustments (stay_key, adjustment_key, event, parked_at)
         values ($1, $2, $3::jsonb, now())`,
        [
          `${stay.data.propertyId}/${stay.data.reservationId}`,
          `${adjustment.data.propertyId}/${adjustment.data.adjustmentId}`,
          JSON.stringify(adjustment),
        ],
      );
    // A quarter of the qualifying revenue refunded, then (left parked) half of what was left.
    const first = app.adjustment(stay, 'refund', { room: -15_638, daysAgo: 3 });
    await leftParked(first);
    await app.sendAdjustments(app.adjustment(stay, 'refund', { room: -23_456, daysAgo: 2 }));
    const reversed = await app.awaitRecords('points-reversed', 2, guestId);
    expect(reversed.map((event) => event.pointsDelta)).toEqual([-1697, -2545]);

    await leftParked(app.adjustment(stay, 'refund', { room: -23_456, daysAgo: 1 }));
    expect((await app.reconcile()).parkedAdjustments.count).toBeGreaterThanOrEqual(1);
    expect(await app.runJob('apply-parked-adjustments', new Date())).toMatchObject({
      ran: true,
      stays: 1,
    });
    const [, , last] = await app.awaitRecords('points-reversed', 3, guestId);
    expect(last.pointsDelta).toBe(-2544);
    expect(await parked(stay)).toBe(0);
  });

  it('should count an adjustment whose stay never arrives among the parked ones in the reconciliation, and dead-letter one no stay can mend', async () => {
    const before = (await app.reconcile()).parkedAdjustments.count;
    await app.sendAdjustments(app.adjustment(app.stay(randomUUID()), 'refund', { room: -100, daysAgo: 1 }));
    const { parkedAdjustments } = await app.reconcile();
    expect(parkedAdjustments.count).toBe(before + 1);
    expect(Date.parse(parkedAdjustments.oldestParkedAt ?? '')).toBeLessThanOrEqual(Date.now());

    const unknown = app.adjustment(app.stay(randomUUID(), { propertyId: 'NOWHERE' }), 'refund', {
      daysAgo: 1,
    });
    await app.send(unknown);
    const [letter] = await app.probe.awaitRecords(
      app.topic('stay-adjusted.dlq'),
      1,
      (record) => record.value?.toString().includes(unknown.id) ?? false,
    );
    expect(letter.headers['dlq-reason']).toBe('UNKNOWN_PROPERTY');
  });
});
