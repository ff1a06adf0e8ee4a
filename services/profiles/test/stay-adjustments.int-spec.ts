import { randomUUID } from 'node:crypto';
import { buildEvent, sampleEventData, type EventData, type EventEnvelope } from '@loyalty/contracts';
import { waitUntil } from '@loyalty/testing';
import { identity, ProfilesHarness } from './profiles-harness';

interface Profile {
  cached: boolean;
  history: { stays: number; nights: number; revenueMinor: number };
}

// The sample stay: 540.00 + 85.50 + 12.00 EUR at 1.085 USD/EUR, converted line by line: 691.69 USD.
const STAY_PROGRAM_REVENUE = 58_590 + 9_277 + 1_302;
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

describe('profiles: stay-adjusted corrects the stay history', () => {
  let h: ProfilesHarness;

  beforeAll(async () => {
    // Adjustments that come before their stay are applied by the sweep: often, here.
    h = await ProfilesHarness.create('profiles_adjust', { PROFILES_ADJUSTMENT_SWEEP_MS: '200' });
  });

  afterAll(async () => {
    await h.close();
  });

  const profile = async (guestId: string) =>
    (await h.http<Profile>('GET', `/guests/${guestId}`, { token: h.token(['chain-admin']), reason: 'test' }))
      .body;

  async function recordedStay() {
    const stay = h.stay(identity());
    await h.sendStays([stay]);
    return { stay, guestId: await h.guestOfReservation(stay.data.reservationId) };
  }

  function adjustment(
    stay: EventEnvelope<'stay-completed'>,
    overrides: Partial<EventData<'stay-adjusted'>> = {},
  ): EventEnvelope<'stay-adjusted'> {
    const data = {
      ...sampleEventData('stay-adjusted'),
      propertyId: stay.data.propertyId,
      reservationId: stay.data.reservationId,
      adjustmentId: `ADJ-${randomUUID().slice(0, 8)}`,
      ...overrides,
    };
    return buildEvent('stay-adjusted', data, { source: 'pms/test', propertyId: data.propertyId });
  }

  async function sendAdjustments(events: EventEnvelope<'stay-adjusted'>[]) {
    await h.send('stay-adjusted', events);
    await h.caughtUp('stay-adjusted');
  }

  it('should take a refund off the revenue of the stay, never below zero, and drop the cached view', async () => {
    const { stay, guestId } = await recordedStay();
    expect((await profile(guestId)).history).toMatchObject({ nights: 3, revenueMinor: STAY_PROGRAM_REVENUE });
    expect((await profile(guestId)).cached).toBe(true);

    const fullRefund = { room: eur(-54_000), foodAndBeverage: eur(-8_550), other: eur(-1_200) };
    await sendAdjustments([adjustment(stay, { revenueDelta: fullRefund })]);
    expect((await profile(guestId)).history).toMatchObject({ stays: 1, nights: 3, revenueMinor: 0 });

    await sendAdjustments([adjustment(stay, { revenueDelta: fullRefund })]);
    expect((await profile(guestId)).history.revenueMinor).toBe(0);
  });

  it('should take the nights of the latest posted v2 correction, not of an older one arriving later', async () => {
    const { stay, guestId } = await recordedStay();
    const noRevenue = { room: eur(0), foodAndBeverage: eur(0), other: eur(0) };
    await sendAdjustments([
      adjustment(stay, { revenueDelta: noRevenue, nights: 1, adjustedAt: '2025-03-07T10:00:00Z' }),
    ]);
    expect((await profile(guestId)).history).toMatchObject({ nights: 1, revenueMinor: STAY_PROGRAM_REVENUE });

    await sendAdjustments([
      adjustment(stay, { revenueDelta: noRevenue, nights: 2, adjustedAt: '2025-03-06T10:00:00Z' }),
    ]);
    expect((await profile(guestId)).history.nights).toBe(1);
  });

  it('should take, of two corrections posted at one instant, the one with the later key, in one batch or two', async () => {
    const noRevenue = { room: eur(0), foodAndBeverage: eur(0), other: eur(0) };
    // The same suffix for both: their keys differ only by 1 and 2.
    const postings = (stay: EventEnvelope<'stay-completed'>, suffix = randomUUID().slice(0, 8)) =>
      [2, 1].map((nights, i) =>
        adjustment(stay, {
          revenueDelta: noRevenue,
          adjustmentId: `ADJ-${i + 1}-${suffix}`,
          nights,
          adjustedAt: '2025-03-07T10:00:00Z',
        }),
      );
    const apart = await recordedStay();
    for (const posting of postings(apart.stay)) await sendAdjustments([posting]);
    const together = await recordedStay();
    await sendAdjustments(postings(together.stay));

    expect((await profile(apart.guestId)).history.nights).toBe(1);
    expect((await profile(together.guestId)).history.nights).toBe(1);
  });

  it('should count a stay corrected to 0 nights as no visit, in the history and the value segment, until corrected back', async () => {
    const { stay, guestId } = await recordedStay();
    const noRevenue = { room: eur(0), foodAndBeverage: eur(0), other: eur(0) };
    const scores = async () => {
      expect((await h.http('POST', '/segments/recompute', { token: h.token(['analyst']) })).status).toBe(201);
      const [row] = await h.db.query<{ rfm_frequency: number | null }>(
        'select rfm_frequency from guests where id = $1',
        [guestId],
      );
      return row.rfm_frequency;
    };
    expect(await scores()).not.toBeNull();
    // A no-show billed: the guest paid and never came.
    await sendAdjustments([
      adjustment(stay, { revenueDelta: noRevenue, nights: 0, adjustedAt: '2025-03-07T10:00:00Z' }),
    ]);
    expect((await profile(guestId)).history).toMatchObject({
      stays: 0,
      nights: 0,
      revenueMinor: STAY_PROGRAM_REVENUE,
    });
    expect(await scores()).toBeNull();
    const summary = await h.http('GET', `/guests/${guestId}/summary`, { token: h.token(['chain-admin']) });
    expect(summary).toMatchObject({ status: 200, body: { stays: 0 } });
    await sendAdjustments([
      adjustment(stay, { revenueDelta: noRevenue, nights: 2, adjustedAt: '2025-03-08T10:00:00Z' }),
    ]);
    expect((await profile(guestId)).history).toMatchObject({ stays: 1, nights: 2 });
    expect(await scores()).not.toBeNull();
  });

  it('should learn no preference from a stay corrected to 0 nights', async () => {
    const who = identity();
    const twinStays = [1, 2, 3].map(() => h.stay(who, { propertyId: 'AMS01', roomType: 'STD-T' }));
    await h.sendStays(twinStays);
    const guestId = await h.guestOfReservation(twinStays[0].data.reservationId);
    const preferences = async () =>
      (
        await h.http<{ preferences: { group: string; value: string }[] }>('GET', `/guests/${guestId}`, {
          token: h.token(['chain-admin']),
          reason: 'test',
        })
      ).body.preferences;
    expect(await preferences()).toEqual([expect.objectContaining({ group: 'bed', value: 'twin' })]);
    // One of the three twin rooms was never slept in; the guest's next stay is in a suite.
    await sendAdjustments([adjustment(twinStays[0], { nights: 0, adjustedAt: '2025-03-07T10:00:00Z' })]);
    await h.sendStays([h.stay(who, { propertyId: 'AMS01', roomType: 'STE' })]);
    await h.caughtUp('stay-completed');
    expect(await preferences()).toEqual([]);
  });

  it('should apply an adjustment once when it is redelivered and re-published under a new event id', async () => {
    const { stay, guestId } = await recordedStay();
    const refund = adjustment(stay);
    const republished = buildEvent('stay-adjusted', refund.data, { source: 'pms/test' });
    await sendAdjustments([refund, refund, republished]);
    await sendAdjustments([refund]);

    // The sample refund: 180.00 EUR of the room, 195.30 USD.
    expect((await profile(guestId)).history.revenueMinor).toBe(STAY_PROGRAM_REVENUE - 19_530);
  });

  /** The gauges of the adjustments waiting for their stay, as Prometheus scrapes them. */
  async function waiting(): Promise<{ count: number; oldestWaitSeconds: number }> {
    const text = await (await fetch(`${h.service.url}/metrics`)).text();
    const value = (name: string) => {
      const sample = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
      if (!sample) throw new Error(`no ${name} in the metrics`);
      return Number(sample[1]);
    };
    return {
      count: value('profiles_stay_adjustments_waiting'),
      oldestWaitSeconds: value('profiles_stay_adjustment_oldest_wait_seconds'),
    };
  }

  it('should keep an adjustment that comes before its stay and apply it once the stay is recorded', async () => {
    const stay = h.stay(identity());
    const before = await waiting();
    await sendAdjustments([adjustment(stay, { nights: 2 }), adjustment(stay, { nights: 2 })]);
    // Waiting, and shown so: one whose stay never comes would stay in these gauges.
    const meanwhile = await waiting();
    expect(meanwhile.count).toBe(before.count + 2);
    expect(meanwhile.oldestWaitSeconds).toBeGreaterThan(0);

    await h.sendStays([stay]);
    const guestId = await h.guestOfReservation(stay.data.reservationId);
    const history = await waitUntil('the adjustments applied', async () => {
      const view = (await profile(guestId)).history;
      return view.nights === 2 ? view : undefined;
    });
    expect(history).toMatchObject({ nights: 2, revenueMinor: STAY_PROGRAM_REVENUE - 2 * 19_530 });
    expect((await waiting()).count).toBe(before.count);
  });
});
