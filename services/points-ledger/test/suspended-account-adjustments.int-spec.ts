import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@loyalty/contracts';
import { waitUntil } from '@loyalty/testing';
import { LedgerApp } from './ledger-app';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

type Stay = EventEnvelope<'stay-recorded'>;
type Adjustment = EventEnvelope<'stay-adjusted'>;

/**
 * A suspended account earns nothing until it is reactivated. An adjustment of one of its credited stays
 * that would earn (a late charge, a nights correction crossing a milestone) waits for the reactivation and
 * is applied then, once, instead of being dead-lettered for someone to replay by hand.
 */
describe('points-ledger with adjustments of a suspended account’s stays (real broker and Postgres)', () => {
  let app: LedgerApp;

  beforeAll(async () => {
    app = await LedgerApp.start('ledger_suspended_adjustments', ['points-earned', 'points-reversed']);
    await app.probe.watch(app.topic('stay-adjusted.dlq'));
  });

  afterAll(async () => {
    await app.close();
  });

  const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

  function adjust(
    stay: Stay,
    reason: 'correction' | 'refund',
    change: { room?: number; nights?: number; daysAgo: number },
  ): Adjustment {
    return app.event('stay-adjusted', {
      propertyId: stay.data.propertyId,
      reservationId: stay.data.reservationId,
      adjustmentId: `ADJ-${randomUUID().slice(0, 8)}`,
      reason,
      revenueDelta: { room: eur(change.room ?? 0), foodAndBeverage: eur(0), other: eur(0) },
      adjustedAt: new Date(Date.now() - change.daysAgo * DAY_MS).toISOString(),
      ...(change.nights === undefined ? {} : { nights: change.nights }),
    });
  }

  /** Sends adjustments as the property does, keyed by reservation, and waits until they are handled. */
  async function sendAdjustments(...adjustments: Adjustment[]): Promise<void> {
    await app.probe.produceJson(
      app.topic('stay-adjusted'),
      adjustments.map((event) => ({ key: `${event.data.propertyId}:${event.data.reservationId}`, event })),
    );
    await app.caughtUp('stay-adjusted');
  }

  async function changeStatus(guestId: string, action: 'suspend' | 'reactivate') {
    return app.http<{ status: string; changed: boolean }>('POST', `/accounts/${guestId}/${action}`, {
      roles: ['property-manager'],
      body: { reason: action === 'suspend' ? 'Fraud review' : 'Review cleared', propertyId: 'AMS01' },
    });
  }

  const stayKey = (stay: Stay) => `${stay.data.propertyId}/${stay.data.reservationId}`;

  async function parked(stay: Stay): Promise<number> {
    const [row] = await app.db.query<{ n: string }>(
      'select count(*) as n from parked_stay_adjustments where stay_key = $1',
      [stayKey(stay)],
    );
    return Number(row.n);
  }

  async function creditedNights(stay: Stay): Promise<number> {
    const [row] = await app.db.query<{ nights: number }>(
      'select nights from credited_stays where stay_key = $1',
      [stayKey(stay)],
    );
    return row.nights;
  }

  function deadLettered(...adjustments: Adjustment[]): string[] {
    return app.probe
      .seen(app.topic('stay-adjusted.dlq'))
      .filter((record) => adjustments.some((event) => record.value?.toString().includes(event.id)))
      .map((record) => String(record.headers['dlq-reason']));
  }

  /** A member with 39 nights this year, the second stay of one night, suspended. */
  async function suspendedMemberWith39Nights(): Promise<{ guestId: string; stay: Stay }> {
    const guestId = randomUUID();
    await app.send(app.stayOfNights(guestId, 38));
    await app.awaitRecords('points-earned', 1, guestId);
    const stay = app.stayOfNights(guestId, 1);
    await app.send(stay);
    await app.awaitRecords('points-earned', 2, guestId);
    await app.caughtUp('stay-recorded');
    expect(await changeStatus(guestId, 'suspend')).toMatchObject({
      status: 200,
      body: { status: 'suspended' },
    });
    return { guestId, stay };
  }

  it('should keep a nights correction crossing a milestone on a suspended account waiting, with what comes after it, and apply them once at reactivation', async () => {
    const { guestId, stay } = await suspendedMemberWith39Nights();
    // One night corrected to three (39 to 41, past the 40-night milestone) with its room charge, then a
    // partial refund: the refund waits behind the correction, as they must apply in the order posted.
    const correction = adjust(stay, 'correction', { nights: 3, room: 20_000, daysAgo: 2 });
    const refund = adjust(stay, 'refund', { room: -5_000, daysAgo: 1 });
    await sendAdjustments(correction, refund);

    expect(await parked(stay)).toBe(2);
    expect(app.records('points-earned', guestId)).toHaveLength(2);
    expect(app.records('points-reversed', guestId)).toHaveLength(0);
    expect((await app.balance(guestId)).progress).toMatchObject({ nights: 39 });
    expect((await app.reconcile()).parkedAdjustments).toMatchObject({
      count: 2,
      awaitingReactivation: { count: 2 },
    });
    // The scheduled pass leaves them waiting while the account is suspended.
    await app.runJob('apply-parked-adjustments', new Date());
    expect(await parked(stay)).toBe(2);

    expect(await changeStatus(guestId, 'reactivate')).toMatchObject({
      status: 200,
      body: { status: 'active', changed: true },
    });
    // Applied by the reactivation before it answers: the late charge's top-up and the milestone, then the refund.
    expect(await parked(stay)).toBe(0);
    const earned = await app.awaitRecords('points-earned', 4, guestId);
    // The refund takes its share back from the stay's points and from the top-up's.
    await app.awaitRecords('points-reversed', 2, guestId);
    expect(earned[3].points).toBe(10_000);
    expect(await app.milestonesPaid(guestId)).toEqual([40]);
    expect(await creditedNights(stay)).toBe(3);
    expect((await app.balance(guestId)).progress).toMatchObject({ nights: 41 });
    const milestoneEvent = app.probe
      .seen(app.topic('points-earned'))
      .map((record) => record.json<{ causationid: string; data: { guestId: string; points: number } }>())
      .find((event) => event.data.guestId === guestId && event.data.points === 10_000);
    expect(milestoneEvent?.causationid).toBe(correction.id);

    // Once: the correction again under another event id, and the job's next pass, pay nothing more.
    await sendAdjustments(app.event('stay-adjusted', correction.data));
    await app.runJob('apply-parked-adjustments', new Date(Date.now() + 2 * MINUTE_MS));
    await app.caughtUp('stay-adjusted');
    expect(app.records('points-earned', guestId)).toHaveLength(4);
    expect(app.records('points-reversed', guestId)).toHaveLength(2);
    expect(await app.milestonesPaid(guestId)).toEqual([40]);
    expect(await parked(stay)).toBe(0);
    expect(deadLettered(correction, refund)).toEqual([]);
    const report = await app.reconcile();
    expect(report.differences).toEqual([]);
    expect(report.parkedAdjustments).toMatchObject({ count: 0, awaitingReactivation: { count: 0 } });
  });

  it('should apply at once, on a suspended account, an adjustment it accepts when none of its stay waits', async () => {
    const { guestId, stay } = await suspendedMemberWith39Nights();
    const refund = adjust(stay, 'refund', { room: -5_000, daysAgo: 1 });
    await sendAdjustments(refund);
    await app.awaitRecords('points-reversed', 1, guestId);
    expect(await parked(stay)).toBe(0);
    expect(deadLettered(refund)).toEqual([]);
  });

  it('should apply at reactivation what waited for a stay credited to a guest merged into the suspended account', async () => {
    const [survivor, merged] = [randomUUID(), randomUUID()];
    const stay = app.stayOfNights(merged, 1);
    await app.send(app.stayOfNights(survivor, 38), stay);
    await app.awaitRecords('points-earned', 1, survivor);
    await app.awaitRecords('points-earned', 1, merged);
    await app.send(app.event('guest-merged', { survivorId: survivor, mergedId: merged }, survivor));
    await waitUntil(
      'the merge',
      async () => ((await app.balance(survivor)).progress as { nights: number }).nights === 39,
    );
    expect((await changeStatus(survivor, 'suspend')).status).toBe(200);
    // The merged guest's stay stays credited to their id: one night corrected to three, 39 to 41 nights.
    await sendAdjustments(adjust(stay, 'correction', { nights: 3, daysAgo: 1 }));
    expect(await parked(stay)).toBe(1);

    expect((await changeStatus(survivor, 'reactivate')).status).toBe(200);
    expect(await parked(stay)).toBe(0);
    expect(await app.milestonesPaid(survivor)).toEqual([40]);
    expect((await app.balance(survivor)).progress).toMatchObject({ nights: 41 });
  });
});
