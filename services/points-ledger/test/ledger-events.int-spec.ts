import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@loyalty/contracts';
import { waitUntil } from '@loyalty/testing';
import { LedgerApp, localDate } from './ledger-app';

const SAMPLE_POINTS = 6786;
/** The sample stay at silver (its 10% bonus on top): silver on two sample stays' base points, merged or not. */
const SILVER_SAMPLE_POINTS = 7464;
const DAY = 86_400_000;

describe('points-ledger consuming events (real broker and Postgres)', () => {
  let app: LedgerApp;

  beforeAll(async () => {
    app = await LedgerApp.start('ledger_events', [
      'points-earned',
      'points-reversed',
      'points-adjusted',
      'tier-changed',
    ]);
  });

  afterAll(async () => {
    await app.close();
  });

  const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

  /** A `stay-adjusted` v2 giving the stay's nights after a correction, with no revenue change. */
  let corrections = 0;
  /** A correction posted after every one before it: of two posted at one instant, the key would decide. */
  const nightsCorrection = (stay: EventEnvelope<'stay-recorded'>, nights: number) =>
    app.event('stay-adjusted', {
      propertyId: stay.data.propertyId,
      reservationId: stay.data.reservationId,
      adjustmentId: `ADJ-${randomUUID().slice(0, 8)}`,
      reason: 'correction',
      revenueDelta: { room: eur(0), foodAndBeverage: eur(0), other: eur(0) },
      nights,
      adjustedAt: new Date(Date.UTC(2026, 0, 1) + ++corrections * 60_000).toISOString(),
    });

  it('should credit the sample stay with the real rules once when it arrives twice under different event ids', async () => {
    const guestId = randomUUID();
    const stay = app.stay(guestId);
    const again = app.stay(guestId, { stayId: stay.data.stayId, reservationId: stay.data.reservationId });
    await app.send(stay, stay, again);
    const [earned] = await app.awaitRecords('points-earned', 1, guestId);
    expect(earned).toMatchObject({
      points: SAMPLE_POINTS,
      balanceAfter: SAMPLE_POINTS,
      source: { kind: 'stay' },
    });
    await app.caughtUp('stay-recorded');
    expect(app.records('points-earned', guestId)).toHaveLength(1);
    expect(await app.balance(guestId)).toMatchObject({
      available: SAMPLE_POINTS,
      pending: 0,
      balance: SAMPLE_POINTS,
      lifetimeEarned: SAMPLE_POINTS,
      tier: { id: 'member' },
      nextTier: { id: 'silver', remaining: { stays: 4, nights: 7 } },
    });
  });

  it('should keep points pending during the lock period when the stay checked out just now', async () => {
    const guestId = randomUUID();
    await app.send(app.stay(guestId, { checkedOutAt: new Date().toISOString() }));
    await app.awaitRecords('points-earned', 1, guestId);
    expect(await app.balance(guestId)).toMatchObject({ available: 0, pending: SAMPLE_POINTS });
  });

  it('should upgrade through silver to gold and publish tier-changed for each move when the base points of the year cross the thresholds', async () => {
    const guestId = randomUUID();
    // 6,786 base points a stay: silver (10,000) on the 2nd stay, gold (25,000) on the 4th.
    await app.send(...Array.from({ length: 5 }, () => app.stay(guestId)));
    const changes = await app.awaitRecords('tier-changed', 2, guestId);
    expect(changes.map((change) => [change.from, change.to, change.reason])).toEqual([
      ['member', 'silver', 'qualified'],
      ['silver', 'gold', 'qualified'],
    ]);
    const earned = await app.awaitRecords('points-earned', 5, guestId);
    // Silver's 10% bonus on the 3rd stay, gold's 25% on the 5th.
    expect(earned.map((event) => event.points)).toEqual([6786, 6786, 7464, 7464, 8482]);
    expect((await app.balance(guestId)).tier).toMatchObject({ id: 'gold' });
  });

  it('should count qualifying credits in the year of the local departure when a stay ends on 31 December', async () => {
    const guestId = randomUUID();
    const lastYear = new Date().getUTCFullYear() - 1;
    await app.send(
      // Checked out at 23:30 on 31 December in Honolulu, already 1 January in UTC, and credited this year.
      app.stay(guestId, {
        arrival: `${lastYear}-12-28`,
        departure: `${lastYear}-12-31`,
        timeZone: 'Pacific/Honolulu',
        checkedOutAt: `${lastYear + 1}-01-01T09:30:00Z`,
      }),
      app.stay(guestId, {
        arrival: `${lastYear}-12-31`,
        departure: `${lastYear + 1}-01-02`,
        nights: 2,
        checkedOutAt: `${lastYear + 1}-01-02T10:00:00Z`,
      }),
    );
    await app.awaitRecords('points-earned', 2, guestId);
    const years = await app.db.query<{ year: number; nights: number; stays: number }>(
      'select year, nights, stays from qualifying_progress where account_id = $1 order by year',
      [guestId],
    );
    expect(years).toEqual([
      { year: lastYear, nights: 3, stays: 1 },
      { year: lastYear + 1, nights: 2, stays: 1 },
    ]);
    expect((await app.balance(guestId)).progress).toMatchObject({ year: lastYear + 1, nights: 2, stays: 1 });
  });

  it('should reverse points in proportion to a refund, once, when the stay is adjusted twice with one adjustment id', async () => {
    const guestId = randomUUID();
    const stay = app.stay(guestId);
    await app.send(stay);
    await app.awaitRecords('points-earned', 1, guestId);
    // A third of the room revenue refunded: 180.00 of 540.00 + 85.50 qualifying.
    const refund = app.event('stay-adjusted', {
      propertyId: stay.data.propertyId,
      reservationId: stay.data.reservationId,
      adjustmentId: `ADJ-${randomUUID().slice(0, 8)}`,
    });
    const resent = app.event('stay-adjusted', refund.data);
    await app.send(refund, resent);
    const [reversed] = await app.awaitRecords('points-reversed', 1, guestId);
    const expected = Math.round(SAMPLE_POINTS * (18_000 / 62_550));
    expect(reversed).toMatchObject({
      pointsDelta: -expected,
      reason: 'stay-adjusted',
      balanceAfter: SAMPLE_POINTS - expected,
    });
    await app.caughtUp('stay-adjusted');
    expect(app.records('points-reversed', guestId)).toHaveLength(1);
  });

  type Reason = 'correction' | 'late-charge' | 'refund';
  /** An adjustment of the stay's revenue, in EUR, under an adjustment id of its own. */
  const revenueAdjustmentOf = (
    stay: EventEnvelope<'stay-recorded'>,
    reason: Reason,
    room: number,
    foodAndBeverage = 0,
    other = 0,
  ) =>
    app.event('stay-adjusted', {
      propertyId: stay.data.propertyId,
      reservationId: stay.data.reservationId,
      adjustmentId: `ADJ-${randomUUID().slice(0, 8)}`,
      reason,
      revenueDelta: { room: eur(room), foodAndBeverage: eur(foodAndBeverage), other: eur(other) },
    });

  it('should earn the difference when revenue is corrected upwards, and reverse it with the stay when all of it is refunded', async () => {
    const guestId = randomUUID();
    const stay = app.stay(guestId);
    await app.send(stay);
    await app.awaitRecords('points-earned', 1, guestId);
    const adjust = (reason: Reason, room: number, foodAndBeverage = 0, other = 0) =>
      revenueAdjustmentOf(stay, reason, room, foodAndBeverage, other);
    // 100.00 EUR more room revenue is 108.50 USD: 1,085 base points at the member tier.
    const correction = adjust('correction', 10_000);
    await app.send(correction, app.event('stay-adjusted', correction.data));
    const earned = await app.awaitRecords('points-earned', 2, guestId);
    expect(earned[1]).toMatchObject({ points: 1085, balanceAfter: SAMPLE_POINTS + 1085 });
    // A late spa charge is not qualifying revenue.
    await app.send(adjust('late-charge', 0, 0, 5_000));
    await app.caughtUp('stay-adjusted');
    expect(app.records('points-earned', guestId)).toHaveLength(2);
    // Everything qualifying refunded: 640.00 room and 85.50 F&B.
    await app.send(adjust('refund', -64_000, -8_550));
    const reversed = await app.awaitRecords('points-reversed', 2, guestId);
    expect(reversed.map((event) => event.pointsDelta).sort((a, b) => a - b)).toEqual([-SAMPLE_POINTS, -1085]);
    expect(await app.balance(guestId)).toMatchObject({ balance: 0, progress: { basePoints: 0 } });
  });

  it("should give back exactly a late charge's top-up when the charge is voided later, and none of the stay's points", async () => {
    const guestId = randomUUID();
    const stay = app.stay(guestId);
    await app.send(stay);
    await app.awaitRecords('points-earned', 1, guestId);
    const adjust = (reason: 'late-charge' | 'refund', room: number) =>
      revenueAdjustmentOf(stay, reason, room);
    await app.send(adjust('late-charge', 12_345));
    const [, topUp] = await app.awaitRecords('points-earned', 2, guestId);
    await app.caughtUp('stay-adjusted');
    // Voided in a transaction of its own, which reads the top-up and the revenue it records back from Postgres.
    await app.send(adjust('refund', -12_345));
    const [voided] = await app.awaitRecords('points-reversed', 1, guestId);
    expect(voided.pointsDelta).toBe(-topUp.points);
    await app.caughtUp('stay-adjusted');
    expect(app.records('points-reversed', guestId)).toHaveLength(1);
    expect(await app.balance(guestId)).toMatchObject({ balance: SAMPLE_POINTS });
    const reversals = await app.db.query<{ cause: Record<string, unknown> }>(
      `select cause from ledger_entries where stay_key = $1 and type = 'reverse'`,
      [`${stay.data.propertyId}/${stay.data.reservationId}`],
    );
    expect(reversals).toEqual([{ cause: expect.objectContaining({ stayRevenueMinor: 12_345 }) }]);
  });

  it('should leave no points on a stay refunded in part, charged again, then refunded of all that is left', async () => {
    const guestId = randomUUID();
    const stay = app.stay(guestId);
    await app.send(stay);
    await app.awaitRecords('points-earned', 1, guestId);
    const adjust = (reason: 'late-charge' | 'refund', room: number, foodAndBeverage = 0) =>
      app.event('stay-adjusted', {
        propertyId: stay.data.propertyId,
        reservationId: stay.data.reservationId,
        adjustmentId: `ADJ-${randomUUID().slice(0, 8)}`,
        reason,
        revenueDelta: { room: eur(room), foodAndBeverage: eur(foodAndBeverage), other: eur(0) },
      });
    // Half of the 625.50 qualifying refunded, the same charged again later, then all 625.50 refunded.
    await app.send(adjust('refund', -31_275));
    const [halved] = await app.awaitRecords('points-reversed', 1, guestId);
    expect(halved).toMatchObject({ pointsDelta: -SAMPLE_POINTS / 2 });
    await app.send(adjust('late-charge', 31_275));
    await app.awaitRecords('points-earned', 2, guestId);
    await app.send(adjust('refund', -54_000, -8_550));
    await app.awaitRecords('points-reversed', 3, guestId);
    await app.caughtUp('stay-adjusted');
    expect(await app.balance(guestId)).toMatchObject({ balance: 0, progress: { basePoints: 0 } });
  });

  it('should end with the points of the stay when more than it has is refunded, then charged again', async () => {
    const guestId = randomUUID();
    const stay = app.stay(guestId);
    await app.send(stay);
    await app.awaitRecords('points-earned', 1, guestId);
    const { progress } = await app.balance(guestId);
    const adjust = (reason: 'late-charge' | 'refund', room: number) =>
      revenueAdjustmentOf(stay, reason, room);
    // 800.00 refunded of the 625.50 qualifying, then charged again: 625.50 as before, as the other order ends.
    await app.send(adjust('refund', -80_000));
    const [reversed] = await app.awaitRecords('points-reversed', 1, guestId);
    expect(reversed).toMatchObject({ pointsDelta: -SAMPLE_POINTS, balanceAfter: 0 });
    await app.send(adjust('late-charge', 80_000));
    const earned = await app.awaitRecords('points-earned', 2, guestId);
    expect(earned[1]).toMatchObject({ points: SAMPLE_POINTS, balanceAfter: SAMPLE_POINTS });
    await app.caughtUp('stay-adjusted');
    expect(await app.balance(guestId)).toMatchObject({ balance: SAMPLE_POINTS, progress });
  });

  it('should take back only the spent points of a stay refunded after the rest of its points expired', async () => {
    const guestId = randomUUID();
    const stay = app.stay(guestId);
    await app.send(stay);
    await app.awaitRecords('points-earned', 1, guestId);
    const spent = await app.http('POST', `/accounts/${guestId}/adjustments`, {
      headers: { 'idempotency-key': randomUUID() },
      body: { points: -1000, reason: 'Points used at the bar', propertyId: 'AMS01' },
    });
    expect(spent.status).toBe(201);
    // Past the 24 months: the 5,786 points left of the stay expire. Then a stay brings new points.
    await app.runJob('expire-points', new Date(Date.now() + 745 * DAY));
    expect((await app.balance(guestId)).balance).toBe(0);
    await app.send(app.stay(guestId));
    await app.awaitRecords('points-earned', 2, guestId);
    const refund = (room: number, foodAndBeverage: number) =>
      app.event('stay-adjusted', {
        propertyId: stay.data.propertyId,
        reservationId: stay.data.reservationId,
        adjustmentId: `ADJ-${randomUUID().slice(0, 8)}`,
        reason: 'refund',
        revenueDelta: { room: eur(room), foodAndBeverage: eur(foodAndBeverage), other: eur(0) },
      });
    // Half of the 625.50 qualifying, then the rest: 3,393 points each, all expired ones first, then the 1,000 spent.
    await app.send(refund(-31_275, 0));
    await app.caughtUp('stay-adjusted');
    expect(await app.balance(guestId)).toMatchObject({ balance: SAMPLE_POINTS });
    await app.send(refund(-22_725, -8_550));
    const [reversed] = await app.awaitRecords('points-reversed', 1, guestId);
    expect(reversed).toMatchObject({ pointsDelta: -1000, balanceAfter: SAMPLE_POINTS - 1000 });
    await app.caughtUp('stay-adjusted');
    expect(app.records('points-reversed', guestId)).toHaveLength(1);
    // The refunded stay's base points are off the year all the same.
    expect(await app.balance(guestId)).toMatchObject({
      balance: SAMPLE_POINTS - 1000,
      progress: { basePoints: SAMPLE_POINTS },
    });
  });

  it('should replace the qualifying nights of a stay whose nights are corrected, and upgrade at once when they reach a tier', async () => {
    const guestId = randomUUID();
    const stay = app.stay(guestId);
    await app.send(stay);
    await app.awaitRecords('points-earned', 1, guestId);
    const correct = (nights: number) => nightsCorrection(stay, nights);
    const progress = async () => (await app.balance(guestId)).progress;
    // The guest left two of three nights early: one night and the stay count, and the points stay.
    await app.send(correct(1));
    await app.caughtUp('stay-adjusted');
    expect(await progress()).toMatchObject({ nights: 1, stays: 1 });
    expect(await app.balance(guestId)).toMatchObject({ balance: SAMPLE_POINTS });
    // No night left: the stay no longer counts either.
    await app.send(correct(0));
    await app.caughtUp('stay-adjusted');
    expect(await progress()).toMatchObject({ nights: 0, stays: 0 });
    // Ten nights after all (a stay extended on the folio): silver qualifies on 10 nights at once.
    await app.send(correct(10));
    const [change] = await app.awaitRecords('tier-changed', 1, guestId);
    expect(change).toMatchObject({ from: 'member', to: 'silver', reason: 'qualified' });
    expect(await progress()).toMatchObject({ nights: 10, stays: 1 });
    expect(app.records('points-earned', guestId)).toHaveLength(1);
    expect(app.records('points-reversed', guestId)).toHaveLength(0);
  });

  it('should not pay a nights milestone again when a correction takes nights off and a later stay crosses it again', async () => {
    const guestId = randomUUID();
    const stayOf = (nights: number) => app.stayOfNights(guestId, nights);
    const milestonesPaid = () => app.milestonesPaid(guestId);
    const long = stayOf(38);
    await app.send(long);
    await app.awaitRecords('points-earned', 1, guestId);
    await app.send(stayOf(4));
    await app.awaitRecords('points-earned', 2, guestId);
    expect(await milestonesPaid()).toEqual([40]);
    // The long stay was 35 nights after all: 39 this year, though 42 were reached and the 40 paid.
    await app.send(nightsCorrection(long, 35));
    await app.caughtUp('stay-adjusted');
    expect((await app.balance(guestId)).progress).toMatchObject({ nights: 39 });
    await app.send(stayOf(2));
    await app.awaitRecords('points-earned', 3, guestId);
    expect(await milestonesPaid()).toEqual([40]);
    // The year goes on from what it reached: 50 is paid when it is crossed.
    await app.send(stayOf(9));
    await app.awaitRecords('points-earned', 4, guestId);
    expect(await milestonesPaid()).toEqual([40, 50]);
  });

  it('should pay a nights milestone at the correction that adds the nights crossing it, and not again with the next stay', async () => {
    const guestId = randomUUID();
    await app.send(app.stayOfNights(guestId, 38));
    await app.awaitRecords('points-earned', 1, guestId);
    const short = app.stayOfNights(guestId, 1);
    await app.send(short);
    const earned = await app.awaitRecords('points-earned', 2, guestId);
    // The stay was three nights after all: 41 this year, past 40, paid with the correction.
    await app.send(nightsCorrection(short, 3));
    const [, , milestone] = await app.awaitRecords('points-earned', 3, guestId);
    expect(milestone).toMatchObject({
      points: 10_000,
      balanceAfter: earned[1].balanceAfter + 10_000,
      source: { kind: 'stay', reference: short.data.stayId },
    });
    expect((await app.balance(guestId)).progress).toMatchObject({ nights: 41 });
    expect(await app.milestonesPaid(guestId)).toEqual([40]);
    await app.send(app.stayOfNights(guestId, 2));
    await app.awaitRecords('points-earned', 4, guestId);
    expect(await app.milestonesPaid(guestId)).toEqual([40]);
  });

  it('should not pay again a nights milestone a pod of the release before 1760000009000 paid, whose year it left without what it reached', async () => {
    const guestId = randomUUID();
    await app.send(app.stayOfNights(guestId, 41));
    await app.awaitRecords('points-earned', 1, guestId);
    expect(await app.milestonesPaid(guestId)).toEqual([40]);
    // As that release's upsert left the year: its nights added, its mark of what was reached not kept.
    await app.db.query(
      'update qualifying_progress set nights_reached = 38, stays_reached = 0 where account_id = $1',
      [guestId],
    );
    await app.send(app.stayOfNights(guestId, 2));
    await app.awaitRecords('points-earned', 2, guestId);
    expect(await app.milestonesPaid(guestId)).toEqual([40]);
  });

  describe('a stay of an earlier year credited late', () => {
    const thisYear = new Date().getUTCFullYear();
    /** `nights` nights of `year` ending on 11 November, credited now; no promotion runs then. */
    const stayOf = (guestId: string, year: number, nights: number) =>
      app.stay(guestId, {
        arrival: localDate(new Date(`${year}-11-11T00:00:00Z`), -nights),
        departure: `${year}-11-11`,
        nights,
      });
    const yearsOf = (guestId: string) =>
      app.db.query<{ year: number; nights: number; stays: number; nights_reached: number }>(
        `select year, nights, stays, nights_reached from qualifying_progress where account_id = $1
         order by year`,
        [guestId],
      );

    it('should credit its base points but pay no milestone when it is of the year before last, and pay it when it is of last year', async () => {
      const [beforeLast, last] = [randomUUID(), randomUUID()];
      await app.send(stayOf(beforeLast, thisYear - 2, 41), stayOf(last, thisYear - 1, 41));
      const [earnedBeforeLast] = await app.awaitRecords('points-earned', 1, beforeLast);
      const [earnedLast] = await app.awaitRecords('points-earned', 1, last);
      expect(earnedBeforeLast.points).toBe(SAMPLE_POINTS);
      expect(earnedLast.points).toBe(SAMPLE_POINTS + 10_000);
      expect(await app.milestonesPaid(beforeLast)).toEqual([]);
      expect(await app.milestonesPaid(last)).toEqual([40]);
      // The stay counts in its year all the same, and the year's mark rises past the 40: no later stay of
      // that year pays it either.
      expect(await yearsOf(beforeLast)).toEqual([
        { year: thisYear - 2, nights: 41, stays: 1, nights_reached: 41 },
      ]);
      expect((await app.balance(beforeLast)).balance).toBe(SAMPLE_POINTS);
      expect((await app.reconcile()).differences).toEqual([]);
    });

    it('should pay no milestone a correction of its nights crosses when it is of the year before last, and raise the mark', async () => {
      const guestId = randomUUID();
      const short = stayOf(guestId, thisYear - 2, 1);
      await app.send(stayOf(guestId, thisYear - 2, 38), short);
      await app.awaitRecords('points-earned', 2, guestId);
      // The stay was three nights after all: 41 in that year, past 40.
      await app.send(nightsCorrection(short, 3));
      await app.caughtUp('stay-adjusted');
      expect(await yearsOf(guestId)).toEqual([
        { year: thisYear - 2, nights: 41, stays: 2, nights_reached: 41 },
      ]);
      expect(await app.milestonesPaid(guestId)).toEqual([]);
      expect(app.records('points-earned', guestId)).toHaveLength(2);
    });
  });

  it('should credit a compensation once and publish points-adjusted when it is granted twice', async () => {
    const guestId = randomUUID();
    const grant = app.event(
      'compensation-granted',
      { guestId, compensationId: randomUUID(), points: 2000 },
      guestId,
    );
    await app.send(grant, app.event('compensation-granted', grant.data, guestId));
    const [adjusted] = await app.awaitRecords('points-adjusted', 1, guestId);
    expect(adjusted).toMatchObject({ pointsDelta: 2000, balanceAfter: 2000 });
    await app.caughtUp('compensation-granted');
    expect((await app.balance(guestId)).available).toBe(2000);
    expect(app.records('points-adjusted', guestId)).toHaveLength(1);
  });

  it('should merge two accounts keeping the balance and both histories, and credit later stays of the merged id to the survivor', async () => {
    const survivor = randomUUID();
    const merged = randomUUID();
    await app.send(app.stay(survivor), app.stay(merged));
    await app.awaitRecords('points-earned', 1, survivor);
    await app.awaitRecords('points-earned', 1, merged);
    await app.send(app.event('guest-merged', { survivorId: survivor, mergedId: merged }, survivor));
    await waitUntil('the merge', async () => (await app.balance(survivor)).balance === 2 * SAMPLE_POINTS);
    expect((await app.balance(survivor)).lifetimeEarned).toBe(2 * SAMPLE_POINTS);
    const statement = await app.http<{ items: { type: string; points: number }[] }>(
      'GET',
      `/accounts/${survivor}/statement?type=earn`,
    );
    expect(statement.body.items).toHaveLength(2);
    await app.send(app.stay(merged));
    const afterLaterStay = 2 * SAMPLE_POINTS + SILVER_SAMPLE_POINTS;
    await waitUntil('the later stay', async () => (await app.balance(survivor)).balance === afterLaterStay);
    expect(await app.balance(merged)).toMatchObject({
      balance: afterLaterStay,
      lifetimeEarned: afterLaterStay,
    });
  });

  it('should show the points and statement of the last survivor to a guest merged into one merged in turn', async () => {
    const [first, second, last] = [randomUUID(), randomUUID(), randomUUID()];
    await app.send(app.stay(first), app.stay(second), app.stay(last));
    for (const guestId of [first, second, last]) await app.awaitRecords('points-earned', 1, guestId);
    await app.send(app.event('guest-merged', { survivorId: second, mergedId: first }, second));
    await waitUntil('the first merge', async () => (await app.balance(second)).balance === 2 * SAMPLE_POINTS);
    await app.send(app.event('guest-merged', { survivorId: last, mergedId: second }, last));
    await waitUntil('the second merge', async () => (await app.balance(last)).balance === 3 * SAMPLE_POINTS);

    expect(await app.balance(first)).toMatchObject({ status: 'active', balance: 3 * SAMPLE_POINTS });
    const statement = await app.http<{ items: unknown[] }>('GET', `/accounts/${first}/statement?type=earn`);
    expect(statement.body.items).toHaveLength(3);
  });

  it('should keep a tier staff locked on either side of a merge, with its lock, over a higher tier', async () => {
    const [lockedSurvivor, goldMerged, survivor, lockedMerged] = Array.from({ length: 4 }, () =>
      randomUUID(),
    );
    await app.send(
      ...[lockedSurvivor, goldMerged, survivor, lockedMerged].map((guestId) => app.stay(guestId)),
    );
    for (const guestId of [lockedSurvivor, goldMerged, survivor, lockedMerged])
      await app.awaitRecords('points-earned', 1, guestId);
    const override = async (guestId: string, tierId: string, lockUntil?: string) =>
      expect(
        (
          await app.http('PUT', `/accounts/${guestId}/tier`, {
            body: {
              tierId,
              reason: 'Fraud review',
              propertyId: 'AMS01',
              ...(lockUntil ? { lockUntil } : {}),
            },
          })
        ).status,
      ).toBe(200);
    await override(lockedSurvivor, 'member');
    // Gold whose lock has run out: an ordinary gold member.
    await override(goldMerged, 'gold', '2020-01-01');
    await override(lockedMerged, 'platinum');
    await app.send(
      app.event('guest-merged', { survivorId: lockedSurvivor, mergedId: goldMerged }, lockedSurvivor),
      app.event('guest-merged', { survivorId: survivor, mergedId: lockedMerged }, survivor),
    );
    for (const guestId of [lockedSurvivor, survivor])
      await waitUntil('the merge', async () => (await app.balance(guestId)).balance === 2 * SAMPLE_POINTS);

    expect((await app.balance(lockedSurvivor)).tier).toMatchObject({ id: 'member', locked: true });
    expect((await app.balance(survivor)).tier).toMatchObject({ id: 'platinum', locked: true });
    const locks = await app.db.query<{ id: string; tier_lock: { reason: string; until: string | null } }>(
      'select id, tier_lock from accounts where id = any($1::text[])',
      [[lockedSurvivor, survivor]],
    );
    expect(locks).toEqual(
      expect.arrayContaining([
        { id: lockedSurvivor, tier_lock: expect.objectContaining({ reason: 'Fraud review', until: null }) },
        { id: survivor, tier_lock: expect.objectContaining({ reason: 'Fraud review', until: null }) },
      ]),
    );
    const [brought] = await app.awaitRecords('tier-changed', 1, survivor);
    expect(brought).toMatchObject({ from: 'member', to: 'platinum', reason: 'guest-merged' });
  });

  it("should announce the survivor's tier when a merge changes it, as of the merge, and no tier for the merged id nor a survivor that keeps its own", async () => {
    const [member, gold, keeping, joining] = Array.from({ length: 4 }, () => randomUUID());
    await app.send(...[member, gold, keeping, joining].map((guestId) => app.stay(guestId)));
    for (const guestId of [member, gold, keeping, joining])
      await app.awaitRecords('points-earned', 1, guestId);
    // Gold whose lock has run out: an ordinary gold member.
    for (const guestId of [gold, keeping]) {
      const override = await app.http('PUT', `/accounts/${guestId}/tier`, {
        body: { tierId: 'gold', reason: 'Status match', propertyId: 'AMS01', lockUntil: '2020-01-01' },
      });
      expect(override.status).toBe(200);
    }
    await app.awaitRecords('tier-changed', 1, keeping);
    const beforeMerges = new Date().toISOString();
    await app.send(
      app.event('guest-merged', { survivorId: member, mergedId: gold }, member),
      app.event('guest-merged', { survivorId: keeping, mergedId: joining }, keeping),
    );
    const [change] = await app.awaitRecords('tier-changed', 1, member);
    expect(change).toMatchObject({ from: 'member', to: 'gold', reason: 'guest-merged' });
    expect(change.changedAt >= beforeMerges).toBe(true);
    await app.caughtUp('guest-merged');
    // The outbox is relayed in order: once a later stay's event is out, the merges' would be too.
    await app.send(app.stay(keeping));
    await app.awaitRecords('points-earned', 2, keeping);
    expect(app.records('tier-changed', member)).toHaveLength(1);
    // Only the status match each had before the merges.
    expect(app.records('tier-changed', gold)).toHaveLength(1);
    expect(app.records('tier-changed', keeping)).toHaveLength(1);
    expect(app.records('tier-changed', joining)).toHaveLength(0);
  });

  it('should announce the points a merge brings as one points-adjusted on the survivor, and nothing more on redelivery', async () => {
    const survivor = randomUUID();
    const merged = randomUUID();
    await app.send(app.stay(survivor), app.stay(merged));
    await app.awaitRecords('points-earned', 1, survivor);
    await app.awaitRecords('points-earned', 1, merged);
    const merge = app.event('guest-merged', { survivorId: survivor, mergedId: merged }, survivor);
    await app.send(merge);
    const [adjusted] = await app.awaitRecords('points-adjusted', 1, survivor);
    expect(adjusted).toMatchObject({
      pointsDelta: SAMPLE_POINTS,
      balanceAfter: 2 * SAMPLE_POINTS,
      adjustedBy: 'system',
      reason: 'Merged from another profile',
    });
    expect(adjusted.transfer).toBeUndefined();
    // The same event again, and the same merge under another event id.
    await app.send(merge, app.event('guest-merged', { survivorId: survivor, mergedId: merged }, survivor));
    await app.caughtUp('guest-merged');
    // The outbox is relayed in order: once a later stay's event is out, a redelivery's would be too.
    await app.send(app.stay(survivor));
    await app.awaitRecords('points-earned', 2, survivor);
    expect((await app.balance(survivor)).balance).toBe(2 * SAMPLE_POINTS + SILVER_SAMPLE_POINTS);
    expect(app.records('points-adjusted', survivor)).toHaveLength(1);
    expect(app.records('points-reversed', survivor)).toHaveLength(0);
  });

  it('should announce nothing when the merged account has no points', async () => {
    const survivor = randomUUID();
    await app.send(app.stay(survivor));
    await app.awaitRecords('points-earned', 1, survivor);
    await app.send(app.event('guest-merged', { survivorId: survivor, mergedId: randomUUID() }, survivor));
    await app.caughtUp('guest-merged');
    expect(app.records('points-adjusted', survivor)).toHaveLength(0);
  });

  it('should redact free text but keep amounts when a guest is erased, and refuse edits of entries and negative balances otherwise', async () => {
    const guestId = randomUUID();
    await app.send(app.event('compensation-granted', { guestId, compensationId: randomUUID() }, guestId));
    await app.awaitRecords('points-adjusted', 1, guestId);
    await app.send(app.event('guest-erased', { guestId }, guestId));
    const [entry] = await waitUntil('the erasure', async () => {
      const rows = await app.db.query<{ points: number; reason: string }>(
        `select points, cause->>'reason' as reason from ledger_entries where account_id = $1`,
        [guestId],
      );
      return rows[0]?.reason === '[erased]' ? rows : undefined;
    });
    expect(entry.points).toBe(2000);
    await expect(
      app.db.query('update ledger_entries set points = 1 where account_id = $1', [guestId]),
    ).rejects.toThrow(/append-only/);
    await expect(app.db.query('delete from ledger_entries where account_id = $1', [guestId])).rejects.toThrow(
      /append-only/,
    );
    // The database itself refuses a negative available balance, whatever the code does.
    await expect(
      app.db.query(
        'update accounts set available = available - 100000, balance = balance - 100000 where id = $1',
        [guestId],
      ),
    ).rejects.toThrow(/check constraint/);
  });

  const compensate = (guestId: string) =>
    app.event('compensation-granted', { guestId, compensationId: randomUUID(), points: 500 }, guestId);

  /** Suspends and reactivates the account, leaving two staff reasons in its audit trail. */
  async function noteStatusChanges(guestId: string): Promise<void> {
    for (const action of ['suspend', 'reactivate']) {
      const { status } = await app.http('POST', `/accounts/${guestId}/${action}`, {
        body: { reason: `${action}: the guest called about a billing dispute`, propertyId: 'AMS01' },
      });
      expect(status).toBe(200);
    }
  }

  /** Every free-text reason the ledger keeps for these accounts: entries and status changes. */
  async function freeTextOf(accountIds: string[]): Promise<string[]> {
    const rows = await app.db.query<{ reason: string }>(
      `select cause->>'reason' as reason from ledger_entries
       where account_id = any($1::text[]) and cause ? 'reason'
       union all
       select reason from account_status_changes where account_id = any($1::text[])`,
      [accountIds],
    );
    return rows.map((row) => row.reason);
  }

  it('should announce a compensation granted under a merged-away id on the survivor, with its balance', async () => {
    const [survivor, merged] = [randomUUID(), randomUUID()];
    await app.send(compensate(survivor), compensate(merged));
    for (const guestId of [survivor, merged]) await app.awaitRecords('points-adjusted', 1, guestId);
    await app.send(app.event('guest-merged', { survivorId: survivor, mergedId: merged }, survivor));
    // The merge's own points-adjusted, on the survivor.
    await app.awaitRecords('points-adjusted', 2, survivor);
    // The complaint was filed under the id merged away since.
    await app.send(compensate(merged));
    const onSurvivor = await app.awaitRecords('points-adjusted', 3, survivor);
    expect(onSurvivor[2]).toMatchObject({ guestId: survivor, pointsDelta: 500, balanceAfter: 1_500 });
    expect(app.records('points-adjusted', merged)).toHaveLength(1);
  });

  it('should leave no free text on a merged account, nor on an id merged into it, when the merge is handled after the survivor was erased', async () => {
    const [survivor, merged, mergedEarlier] = [randomUUID(), randomUUID(), randomUUID()];
    await app.send(compensate(survivor), compensate(merged), compensate(mergedEarlier));
    for (const guestId of [survivor, merged, mergedEarlier])
      await app.awaitRecords('points-adjusted', 1, guestId);
    await app.send(app.event('guest-merged', { survivorId: merged, mergedId: mergedEarlier }, merged));
    await waitUntil('the earlier merge', async () => (await app.balance(merged)).balance === 1000);
    await noteStatusChanges(merged);
    // Erasure and merges are on different topics: the survivor's erasure is handled first.
    await app.send(app.event('guest-erased', { guestId: survivor }, survivor));
    await app.caughtUp('guest-erased');
    await app.send(app.event('guest-merged', { survivorId: survivor, mergedId: merged }, survivor));
    await waitUntil('the merge', async () => (await app.balance(survivor)).balance === 1500);
    const freeText = await freeTextOf([survivor, merged, mergedEarlier]);
    expect(freeText.length).toBeGreaterThanOrEqual(5);
    expect(freeText.filter((reason) => reason !== '[erased]')).toEqual([]);
  });

  it('should redact the merged account when the merge is handled after the erasure of a survivor who had no account', async () => {
    const [survivor, merged] = [randomUUID(), randomUUID()];
    await app.send(compensate(merged));
    await app.awaitRecords('points-adjusted', 1, merged);
    await noteStatusChanges(merged);
    await app.send(app.event('guest-erased', { guestId: survivor }, survivor));
    await app.caughtUp('guest-erased');
    await app.send(app.event('guest-merged', { survivorId: survivor, mergedId: merged }, survivor));
    await waitUntil('the merge', async () => (await app.balance(survivor)).balance === 500);
    const freeText = await freeTextOf([merged]);
    expect(freeText.length).toBeGreaterThanOrEqual(3);
    expect(freeText.filter((reason) => reason !== '[erased]')).toEqual([]);
  });

  it("should redact the tier lock's reason on erasure, and store the reasons staff give after it redacted", async () => {
    const guestId = randomUUID();
    await app.send(compensate(guestId));
    await app.awaitRecords('points-adjusted', 1, guestId);
    const overrideTier = (reason: string) =>
      app.http('PUT', `/accounts/${guestId}/tier`, {
        body: { tierId: 'gold', reason, propertyId: 'AMS01' },
      });
    expect((await overrideTier('Status match: her husband is our general manager')).status).toBe(200);
    const lockReason = async () =>
      (
        await app.db.query<{ reason: string }>(
          `select tier_lock->>'reason' as reason from accounts where id = $1`,
          [guestId],
        )
      )[0]?.reason;
    await app.send(app.event('guest-erased', { guestId }, guestId));
    await waitUntil('the erasure', async () => (await lockReason()) === '[erased]');

    const adjust = await app.http('POST', `/accounts/${guestId}/adjustments`, {
      headers: { 'idempotency-key': randomUUID() },
      body: { points: 100, reason: 'Goodwill: she called about her divorce', propertyId: 'AMS01' },
    });
    expect(adjust.status).toBe(201);
    await noteStatusChanges(guestId);
    expect((await overrideTier('Status match again, see her email')).status).toBe(200);
    expect(await lockReason()).toBe('[erased]');
    const freeText = await freeTextOf([guestId]);
    expect(freeText.length).toBeGreaterThanOrEqual(4);
    expect(freeText.filter((reason) => reason !== '[erased]')).toEqual([]);
    const adjusted = await app.awaitRecords('points-adjusted', 2, guestId);
    expect(adjusted[1]).toMatchObject({ pointsDelta: 100, reason: '[erased]' });
  });

  it('should find no difference when every account is reconciled', async () => {
    const report = await app.reconcile();
    expect(report.accounts).toBeGreaterThan(5);
    expect(report.differences).toEqual([]);
  });

  /** Moves an account's balance (as available points) and its qualifying `progress` off its record by `by`. */
  async function drift(guestId: string, by: number, progress: 'nights' | 'stays'): Promise<void> {
    await app.db.query(
      'update accounts set balance = balance + $2, available = available + $2 where id = $1',
      [guestId, by],
    );
    await app.db.query(
      `update qualifying_progress set ${progress} = ${progress} + $2 where account_id = $1`,
      [guestId, by],
    );
  }

  it('should report an account whose stored balance or qualifying nights drift from its entries and stays', async () => {
    const guestId = randomUUID();
    await app.send(app.stay(guestId));
    await app.awaitRecords('points-earned', 1, guestId);
    await drift(guestId, 1, 'nights');
    try {
      const { differences } = await app.reconcile();
      expect(differences).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            guestId,
            check: 'BALANCE_NOT_SUM_OF_ENTRIES',
            actual: SAMPLE_POINTS + 1,
          }),
          expect.objectContaining({ guestId, check: 'NIGHTS_NOT_CREDITED_STAYS', expected: 3, actual: 4 }),
        ]),
      );
      expect(differences.every((difference) => (difference as { guestId: string }).guestId === guestId)).toBe(
        true,
      );
    } finally {
      await drift(guestId, -1, 'nights');
    }
    expect((await app.reconcile()).differences).toEqual([]);
  });

  it('should report exactly the checks one account fails, in order, among thousands that agree', async () => {
    const before = (await app.reconcile()).accounts;
    const agreeing: string[] = (
      await app.db.query<{ id: string }>(
        `insert into accounts (id, guest_id, opened_at, last_activity_at)
         select g::text, g, now(), now() from (select gen_random_uuid() as g from generate_series(1, 3000)) s
         returning id`,
      )
    ).map(({ id }) => id);
    const guestId = randomUUID();
    await app.send(app.stay(guestId));
    await app.awaitRecords('points-earned', 1, guestId);
    await drift(guestId, 1, 'stays');
    try {
      const report = await app.reconcile();
      expect(report.accounts).toBe(before + agreeing.length + 1);
      const failed = (check: string, expected: number, actual: number) => ({
        accountId: guestId,
        guestId,
        check,
        expected,
        actual,
      });
      expect(report.differences).toEqual([
        failed('BALANCE_NOT_SUM_OF_ENTRIES', SAMPLE_POINTS, SAMPLE_POINTS + 1),
        failed('LOTS_NOT_BALANCE', SAMPLE_POINTS, SAMPLE_POINTS + 1),
        failed('LOTS_NOT_BALANCE', SAMPLE_POINTS, SAMPLE_POINTS + 1),
        failed('STAYS_NOT_CREDITED_STAYS', 1, 2),
      ]);
    } finally {
      await drift(guestId, -1, 'stays');
      await app.db.query('delete from accounts where id = any($1::text[])', [agreeing]);
    }
  });
});
